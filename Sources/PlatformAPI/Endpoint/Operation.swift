/// Every `/v1` operation. The raw value is the OpenAPI `operationId` (and so the Python SDK's
/// function name). The switch in ``endpoint`` is exhaustive, and so is the server's binding
/// switch: a new case does not compile until it has a typed ``Endpoint`` and a handler.
public enum Operation: String, Sendable, CaseIterable, Hashable {
    // IAM
    case whoami, getRegistry
    case createTenant, listTenants
    case createProject, listProjects, getProjectSummary
    case createPlatformServiceAccount, createTenantServiceAccount, listTenantServiceAccounts, deleteTenantServiceAccount
    case createServiceAccount, listServiceAccounts, deleteServiceAccount
    case createKey, listKeys, rotateKey, revokeKey
    // Catalog
    case registerApp, listApps, listAppVersions
    case listCatalogApps, publishCatalogApp, deprecateCatalogApp
    // Artifacts
    case registerSigningKey, listSigningKeys, rotateSigningKey, revokeSigningKey
    case listArtifacts, getArtifact, promoteArtifact
    // Instances
    case listNodes
    case launchInstance, listInstances, getInstance, listInstanceEvents, readInstanceLogs, getInstanceUsage
    case stopInstance, deleteInstance, execInstance
    case createVolume, listVolumes, deleteVolume
    // Connect
    case connectInstance, listConnectSessions, refreshConnectSession, revokeConnectSession
    // Audit
    case listAuditRecords, exportAudit, getAuditCheckpoint, getAuditConsistency
    // Notifications
    case listNotifications, streamNotifications, createWebhook, listWebhooks, deleteWebhook
    case getNotificationPreferences, setNotificationPreferences, listDeadLetters, retryDeadLetter
    // Policy
    case listProjectPolicies, explainPolicy, setPolicy, listPlans, assignPlan, setDepartment, listProjectFlags, setFlag
    // Usage
    case ingestUsageEvents, getUsageSummary
    // Billing
    case getBillingBalance, getStatement, closeStatement, grantCredit
    case listBudgets, setTenantBudget, removeTenantBudget, setProjectBudget, removeProjectBudget
    case listLedgerEntries, verifyLedger
    // Releases
    case createRelease, listReleases, getRelease, addReleaseEvidence, addPlatformEvidence, smokeRelease, approveRelease
    case getReleaseGates, promoteRelease, getReleaseEnvelope, getPlatformEvidenceKey
    // Status
    case getStatus, getComponentHistory, listIncidents, openIncident, updateIncident, listMaintenance, scheduleMaintenance
    case cancelMaintenance
    // Secrets
    case setSecret, listSecrets, deleteSecret, rotateSecret, rotateSecretMasterKey

    /// The operation's typed endpoint, seen through what every endpoint describes.
    public var endpoint: any EndpointDescribing {
        switch self {
        case .whoami: Endpoints.whoami
        case .getRegistry: Endpoints.getRegistry
        case .createTenant: Endpoints.createTenant
        case .listTenants: Endpoints.listTenants
        case .createProject: Endpoints.createProject
        case .listProjects: Endpoints.listProjects
        case .getProjectSummary: Endpoints.getProjectSummary
        case .createPlatformServiceAccount: Endpoints.createPlatformServiceAccount
        case .createTenantServiceAccount: Endpoints.createTenantServiceAccount
        case .listTenantServiceAccounts: Endpoints.listTenantServiceAccounts
        case .deleteTenantServiceAccount: Endpoints.deleteTenantServiceAccount
        case .createServiceAccount: Endpoints.createServiceAccount
        case .listServiceAccounts: Endpoints.listServiceAccounts
        case .deleteServiceAccount: Endpoints.deleteServiceAccount
        case .createKey: Endpoints.createKey
        case .listKeys: Endpoints.listKeys
        case .rotateKey: Endpoints.rotateKey
        case .revokeKey: Endpoints.revokeKey
        case .registerApp: Endpoints.registerApp
        case .listApps: Endpoints.listApps
        case .listAppVersions: Endpoints.listAppVersions
        case .listCatalogApps: Endpoints.listCatalogApps
        case .publishCatalogApp: Endpoints.publishCatalogApp
        case .deprecateCatalogApp: Endpoints.deprecateCatalogApp
        case .registerSigningKey: Endpoints.registerSigningKey
        case .listSigningKeys: Endpoints.listSigningKeys
        case .rotateSigningKey: Endpoints.rotateSigningKey
        case .revokeSigningKey: Endpoints.revokeSigningKey
        case .listArtifacts: Endpoints.listArtifacts
        case .getArtifact: Endpoints.getArtifact
        case .promoteArtifact: Endpoints.promoteArtifact
        case .listNodes: Endpoints.listNodes
        case .launchInstance: Endpoints.launchInstance
        case .listInstances: Endpoints.listInstances
        case .getInstance: Endpoints.getInstance
        case .listInstanceEvents: Endpoints.listInstanceEvents
        case .readInstanceLogs: Endpoints.readInstanceLogs
        case .getInstanceUsage: Endpoints.getInstanceUsage
        case .stopInstance: Endpoints.stopInstance
        case .deleteInstance: Endpoints.deleteInstance
        case .execInstance: Endpoints.execInstance
        case .createVolume: Endpoints.createVolume
        case .listVolumes: Endpoints.listVolumes
        case .deleteVolume: Endpoints.deleteVolume
        case .connectInstance: Endpoints.connectInstance
        case .listConnectSessions: Endpoints.listConnectSessions
        case .refreshConnectSession: Endpoints.refreshConnectSession
        case .revokeConnectSession: Endpoints.revokeConnectSession
        case .listAuditRecords: Endpoints.listAuditRecords
        case .exportAudit: Endpoints.exportAudit
        case .getAuditCheckpoint: Endpoints.getAuditCheckpoint
        case .getAuditConsistency: Endpoints.getAuditConsistency
        case .listNotifications: Endpoints.listNotifications
        case .streamNotifications: Endpoints.streamNotifications
        case .createWebhook: Endpoints.createWebhook
        case .listWebhooks: Endpoints.listWebhooks
        case .deleteWebhook: Endpoints.deleteWebhook
        case .getNotificationPreferences: Endpoints.getNotificationPreferences
        case .setNotificationPreferences: Endpoints.setNotificationPreferences
        case .listDeadLetters: Endpoints.listDeadLetters
        case .retryDeadLetter: Endpoints.retryDeadLetter
        case .listProjectPolicies: Endpoints.listProjectPolicies
        case .explainPolicy: Endpoints.explainPolicy
        case .setPolicy: Endpoints.setPolicy
        case .listPlans: Endpoints.listPlans
        case .assignPlan: Endpoints.assignPlan
        case .setDepartment: Endpoints.setDepartment
        case .listProjectFlags: Endpoints.listProjectFlags
        case .setFlag: Endpoints.setFlag
        case .ingestUsageEvents: Endpoints.ingestUsageEvents
        case .getUsageSummary: Endpoints.getUsageSummary
        case .getBillingBalance: Endpoints.getBillingBalance
        case .getStatement: Endpoints.getStatement
        case .closeStatement: Endpoints.closeStatement
        case .grantCredit: Endpoints.grantCredit
        case .listBudgets: Endpoints.listBudgets
        case .setTenantBudget: Endpoints.setTenantBudget
        case .removeTenantBudget: Endpoints.removeTenantBudget
        case .setProjectBudget: Endpoints.setProjectBudget
        case .removeProjectBudget: Endpoints.removeProjectBudget
        case .listLedgerEntries: Endpoints.listLedgerEntries
        case .verifyLedger: Endpoints.verifyLedger
        case .createRelease: Endpoints.createRelease
        case .listReleases: Endpoints.listReleases
        case .getRelease: Endpoints.getRelease
        case .addReleaseEvidence: Endpoints.addReleaseEvidence
        case .addPlatformEvidence: Endpoints.addPlatformEvidence
        case .smokeRelease: Endpoints.smokeRelease
        case .approveRelease: Endpoints.approveRelease
        case .getReleaseGates: Endpoints.getReleaseGates
        case .promoteRelease: Endpoints.promoteRelease
        case .getReleaseEnvelope: Endpoints.getReleaseEnvelope
        case .getPlatformEvidenceKey: Endpoints.getPlatformEvidenceKey
        case .getStatus: Endpoints.getStatus
        case .getComponentHistory: Endpoints.getComponentHistory
        case .listIncidents: Endpoints.listIncidents
        case .openIncident: Endpoints.openIncident
        case .updateIncident: Endpoints.updateIncident
        case .listMaintenance: Endpoints.listMaintenance
        case .scheduleMaintenance: Endpoints.scheduleMaintenance
        case .cancelMaintenance: Endpoints.cancelMaintenance
        case .setSecret: Endpoints.setSecret
        case .listSecrets: Endpoints.listSecrets
        case .deleteSecret: Endpoints.deleteSecret
        case .rotateSecret: Endpoints.rotateSecret
        case .rotateSecretMasterKey: Endpoints.rotateSecretMasterKey
        }
    }
}

/// The typed endpoints, one `static let` per ``Operation``, grouped by area in
/// `Endpoints+<Area>.swift`.
public enum Endpoints {
    /// Every endpoint, in ``Operation`` order.
    public static var all: [any EndpointDescribing] { Operation.allCases.map(\.endpoint) }
}
