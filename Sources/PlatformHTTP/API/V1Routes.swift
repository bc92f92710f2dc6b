import AppPlatform
import ArtifactRegistry
import PlatformAPI
import PlatformContracts
import RuntimeKit

/// The `/v1` handlers and the services they call, bound to the typed endpoints of
/// PlatformAPI. ``binding(for:)`` is one exhaustive switch over ``Operation``: a new operation
/// does not compile until it is bound, and each handler's parameter and result types are its
/// endpoint's, so a handler cannot be bound to an endpoint of other types. The handlers live
/// in `V1Routes+<Area>.swift`-style extensions (IAMRoutes, CatalogRoutes, …).
public struct V1Routes: Sendable {
    let identity: any IdentityService
    let audit: any AuditReading
    let catalog: AppCatalog
    let keys: any SigningKeyDirectory
    let ledger: TrustLedger
    let inventory: GPUInventory
    let instances: InstanceService
    let connect: ConnectService
    let notifications: any NotificationInbox
    let notificationFeedChanged: @Sendable (Duration) async -> Void
    let policy: any PolicyEvaluator & PolicyAdministration
    let registries: @Sendable (String) -> [UInt8]?
    /// Rating, the ledger, balances, budgets and statements (`nil` in route tests that do not
    /// reach them: their handlers answer 500).
    let billing: (any BillingLedger)?
    /// The durable usage log products ingest into (`nil` as ``billing``).
    let usage: (any UsageRecorder)?
    /// The usage-unit registry: an ingested event without a unit version is measured under
    /// its unit's current one.
    let usageUnits: UsageUnitRegistry?
    /// Release candidates, bundles, approvals, gates and decisions (`nil`: those routes answer 500).
    public var releases: (any ReleaseManagement)?
    /// The status board: components, incidents, maintenance (`nil`: those routes answer 500).
    public var status: (any StatusBoard)?
    /// The running server's schema modules, applied against expected: what platform-made
    /// `migration-status` evidence records (`nil`: that kind answers 500).
    public var migrationStatus: (@Sendable () async throws -> [SchemaModuleVersion])?
    /// Secret custody (`nil`: the secrets routes answer 500).
    public var secrets: (any SecretCustody)?

    /// The handlers over these services.
    /// - Parameters:
    ///   - notificationFeedChanged: Returns when feed rows may have been written, or after the
    ///     given time (what the notification stream waits on; default: just the time).
    ///   - registries: A platform registry's JSON by kind (`nil`: no such registry).
    ///   - billing: The billing ledger; `usage` the usage recorder; `usageUnits` the unit registry.
    public init(
        identity: any IdentityService, audit: any AuditReading, catalog: AppCatalog, keys: any SigningKeyDirectory,
        ledger: TrustLedger, inventory: GPUInventory, instances: InstanceService, connect: ConnectService,
        notifications: any NotificationInbox, policy: any PolicyEvaluator & PolicyAdministration,
        notificationFeedChanged: @escaping @Sendable (Duration) async -> Void = { try? await Task.sleep(for: $0) },
        registries: @escaping @Sendable (String) -> [UInt8]?,
        billing: (any BillingLedger)? = nil, usage: (any UsageRecorder)? = nil, usageUnits: UsageUnitRegistry? = nil
    ) {
        self.identity = identity
        self.audit = audit
        self.catalog = catalog
        self.keys = keys
        self.ledger = ledger
        self.inventory = inventory
        self.instances = instances
        self.connect = connect
        self.notifications = notifications
        self.notificationFeedChanged = notificationFeedChanged
        self.policy = policy
        self.registries = registries
        self.billing = billing
        self.usage = usage
        self.usageUnits = usageUnits
    }

    /// Every operation's binding, in ``Operation`` order.
    /// - Throws: ``ErrorCode/internalError`` when a case of ``binding(for:)`` binds another
    ///   operation's endpoint (the types of two endpoints may agree). Two handlers would then
    ///   claim one method and path, which Hummingbird's router refuses with a trap; this way
    ///   platformd reports the mistake at start-up instead, and the binding tests name it.
    public func bindings() throws(PlatformError) -> [BoundEndpoint] {
        var bindings: [BoundEndpoint] = []
        for operation in Operation.allCases {
            let binding = binding(for: operation)
            guard binding.endpoint.operation == operation else {
                throw PlatformError(.internalError, "the operation \(operation.rawValue) is bound to the endpoint of \(binding.endpoint.operation.rawValue)")
            }
            bindings.append(binding)
        }
        return bindings
    }

    /// The handler of `operation`, bound to its endpoint.
    public func binding(for operation: Operation) -> BoundEndpoint {
        switch operation {
        case .whoami: BoundEndpoint(Endpoints.whoami, whoami)
        case .getRegistry: BoundEndpoint(Endpoints.getRegistry, getRegistry)
        case .createTenant: BoundEndpoint(Endpoints.createTenant, createTenant)
        case .listTenants: BoundEndpoint(Endpoints.listTenants, listTenants)
        case .createProject: BoundEndpoint(Endpoints.createProject, createProject)
        case .listProjects: BoundEndpoint(Endpoints.listProjects, listProjects)
        case .getProjectSummary: BoundEndpoint(Endpoints.getProjectSummary, getProjectSummary)
        case .createPlatformServiceAccount: BoundEndpoint(Endpoints.createPlatformServiceAccount, createPlatformServiceAccount)
        case .createTenantServiceAccount: BoundEndpoint(Endpoints.createTenantServiceAccount, createTenantServiceAccount)
        case .listTenantServiceAccounts: BoundEndpoint(Endpoints.listTenantServiceAccounts, listTenantServiceAccounts)
        case .deleteTenantServiceAccount: BoundEndpoint(Endpoints.deleteTenantServiceAccount, deleteTenantServiceAccount)
        case .createServiceAccount: BoundEndpoint(Endpoints.createServiceAccount, createServiceAccount)
        case .listServiceAccounts: BoundEndpoint(Endpoints.listServiceAccounts, listServiceAccounts)
        case .deleteServiceAccount: BoundEndpoint(Endpoints.deleteServiceAccount, deleteServiceAccount)
        case .createKey: BoundEndpoint(Endpoints.createKey, createKey)
        case .listKeys: BoundEndpoint(Endpoints.listKeys, listKeys)
        case .rotateKey: BoundEndpoint(Endpoints.rotateKey, rotateKey)
        case .revokeKey: BoundEndpoint(Endpoints.revokeKey, revokeKey)
        case .registerApp: BoundEndpoint(Endpoints.registerApp, registerApp)
        case .listApps: BoundEndpoint(Endpoints.listApps, listApps)
        case .listAppVersions: BoundEndpoint(Endpoints.listAppVersions, listAppVersions)
        case .listCatalogApps: BoundEndpoint(Endpoints.listCatalogApps, listCatalogApps)
        case .publishCatalogApp: BoundEndpoint(Endpoints.publishCatalogApp, publishCatalogApp)
        case .deprecateCatalogApp: BoundEndpoint(Endpoints.deprecateCatalogApp, deprecateCatalogApp)
        case .registerSigningKey: BoundEndpoint(Endpoints.registerSigningKey, registerSigningKey)
        case .listSigningKeys: BoundEndpoint(Endpoints.listSigningKeys, listSigningKeys)
        case .rotateSigningKey: BoundEndpoint(Endpoints.rotateSigningKey, rotateSigningKey)
        case .revokeSigningKey: BoundEndpoint(Endpoints.revokeSigningKey, revokeSigningKey)
        case .listArtifacts: BoundEndpoint(Endpoints.listArtifacts, listArtifacts)
        case .getArtifact: BoundEndpoint(Endpoints.getArtifact, getArtifact)
        case .promoteArtifact: BoundEndpoint(Endpoints.promoteArtifact, promoteArtifact)
        case .listNodes: BoundEndpoint(Endpoints.listNodes, listNodes)
        case .launchInstance: BoundEndpoint(Endpoints.launchInstance, launchInstance)
        case .listInstances: BoundEndpoint(Endpoints.listInstances, listInstances)
        case .getInstance: BoundEndpoint(Endpoints.getInstance, getInstance)
        case .listInstanceEvents: BoundEndpoint(Endpoints.listInstanceEvents, listInstanceEvents)
        case .readInstanceLogs: BoundEndpoint(Endpoints.readInstanceLogs, readInstanceLogs)
        case .getInstanceUsage: BoundEndpoint(Endpoints.getInstanceUsage, getInstanceUsage)
        case .stopInstance: BoundEndpoint(Endpoints.stopInstance, stopInstance)
        case .deleteInstance: BoundEndpoint(Endpoints.deleteInstance, deleteInstance)
        case .execInstance: BoundEndpoint(Endpoints.execInstance, execInstance)
        case .createVolume: BoundEndpoint(Endpoints.createVolume, createVolume)
        case .listVolumes: BoundEndpoint(Endpoints.listVolumes, listVolumes)
        case .deleteVolume: BoundEndpoint(Endpoints.deleteVolume, deleteVolume)
        case .connectInstance: BoundEndpoint(Endpoints.connectInstance, connectInstance)
        case .listConnectSessions: BoundEndpoint(Endpoints.listConnectSessions, listConnectSessions)
        // An empty body refreshes with the defaults, as it always has.
        case .refreshConnectSession: BoundEndpoint(Endpoints.refreshConnectSession, emptyBody: ConnectRefreshRequest(), refreshConnectSession)
        case .revokeConnectSession: BoundEndpoint(Endpoints.revokeConnectSession, revokeConnectSession)
        case .listAuditRecords: BoundEndpoint(Endpoints.listAuditRecords, listAuditRecords)
        case .exportAudit: BoundEndpoint(Endpoints.exportAudit, exportAudit)
        case .getAuditCheckpoint: BoundEndpoint(Endpoints.getAuditCheckpoint, getAuditCheckpoint)
        case .getAuditConsistency: BoundEndpoint(Endpoints.getAuditConsistency, getAuditConsistency)
        case .listNotifications: BoundEndpoint(Endpoints.listNotifications, listNotifications)
        case .streamNotifications: BoundEndpoint(Endpoints.streamNotifications, streamNotifications)
        case .createWebhook: BoundEndpoint(Endpoints.createWebhook, createWebhook)
        case .listWebhooks: BoundEndpoint(Endpoints.listWebhooks, listWebhooks)
        case .deleteWebhook: BoundEndpoint(Endpoints.deleteWebhook, deleteWebhook)
        case .getNotificationPreferences: BoundEndpoint(Endpoints.getNotificationPreferences, getNotificationPreferences)
        case .setNotificationPreferences: BoundEndpoint(Endpoints.setNotificationPreferences, setNotificationPreferences)
        case .listDeadLetters: BoundEndpoint(Endpoints.listDeadLetters, listDeadLetters)
        case .retryDeadLetter: BoundEndpoint(Endpoints.retryDeadLetter, retryDeadLetter)
        case .listProjectPolicies: BoundEndpoint(Endpoints.listProjectPolicies, listProjectPolicies)
        case .explainPolicy: BoundEndpoint(Endpoints.explainPolicy, explainPolicy)
        case .setPolicy: BoundEndpoint(Endpoints.setPolicy, setPolicy)
        case .listPlans: BoundEndpoint(Endpoints.listPlans, listPlans)
        case .assignPlan: BoundEndpoint(Endpoints.assignPlan, assignPlan)
        case .setDepartment: BoundEndpoint(Endpoints.setDepartment, setDepartment)
        case .listProjectFlags: BoundEndpoint(Endpoints.listProjectFlags, listProjectFlags)
        case .setFlag: BoundEndpoint(Endpoints.setFlag, setFlag)
        case .ingestUsageEvents: BoundEndpoint(Endpoints.ingestUsageEvents, ingestUsageEvents)
        case .getUsageSummary: BoundEndpoint(Endpoints.getUsageSummary, getUsageSummary)
        case .getBillingBalance: BoundEndpoint(Endpoints.getBillingBalance, getBillingBalance)
        case .getStatement: BoundEndpoint(Endpoints.getStatement, getStatement)
        case .closeStatement: BoundEndpoint(Endpoints.closeStatement, closeStatement)
        case .grantCredit: BoundEndpoint(Endpoints.grantCredit, grantCredit)
        case .listBudgets: BoundEndpoint(Endpoints.listBudgets, listBudgets)
        case .setTenantBudget: BoundEndpoint(Endpoints.setTenantBudget, setTenantBudget)
        case .removeTenantBudget: BoundEndpoint(Endpoints.removeTenantBudget, removeTenantBudget)
        case .setProjectBudget: BoundEndpoint(Endpoints.setProjectBudget, setProjectBudget)
        case .removeProjectBudget: BoundEndpoint(Endpoints.removeProjectBudget, removeProjectBudget)
        case .listLedgerEntries: BoundEndpoint(Endpoints.listLedgerEntries, listLedgerEntries)
        case .verifyLedger: BoundEndpoint(Endpoints.verifyLedger, verifyLedger)
        case .createRelease: BoundEndpoint(Endpoints.createRelease, createRelease)
        case .listReleases: BoundEndpoint(Endpoints.listReleases, listReleases)
        case .getRelease: BoundEndpoint(Endpoints.getRelease, getRelease)
        case .addReleaseEvidence: BoundEndpoint(Endpoints.addReleaseEvidence, addReleaseEvidence)
        case .addPlatformEvidence: BoundEndpoint(Endpoints.addPlatformEvidence, addPlatformEvidence)
        case .smokeRelease: BoundEndpoint(Endpoints.smokeRelease, smokeRelease)
        case .approveRelease: BoundEndpoint(Endpoints.approveRelease, approveRelease)
        case .getReleaseGates: BoundEndpoint(Endpoints.getReleaseGates, getReleaseGates)
        case .promoteRelease: BoundEndpoint(Endpoints.promoteRelease, promoteRelease)
        case .getReleaseEnvelope: BoundEndpoint(Endpoints.getReleaseEnvelope, getReleaseEnvelope)
        case .getPlatformEvidenceKey: BoundEndpoint(Endpoints.getPlatformEvidenceKey, getPlatformEvidenceKey)
        case .getStatus: BoundEndpoint(Endpoints.getStatus, getStatus)
        case .getComponentHistory: BoundEndpoint(Endpoints.getComponentHistory, getComponentHistory)
        case .listIncidents: BoundEndpoint(Endpoints.listIncidents, listIncidents)
        case .openIncident: BoundEndpoint(Endpoints.openIncident, openIncident)
        case .updateIncident: BoundEndpoint(Endpoints.updateIncident, updateIncident)
        case .listMaintenance: BoundEndpoint(Endpoints.listMaintenance, listMaintenance)
        case .scheduleMaintenance: BoundEndpoint(Endpoints.scheduleMaintenance, scheduleMaintenance)
        case .cancelMaintenance: BoundEndpoint(Endpoints.cancelMaintenance, cancelMaintenance)
        case .setSecret: BoundEndpoint(Endpoints.setSecret, setSecret)
        case .listSecrets: BoundEndpoint(Endpoints.listSecrets, listSecrets)
        case .deleteSecret: BoundEndpoint(Endpoints.deleteSecret, deleteSecret)
        case .rotateSecret: BoundEndpoint(Endpoints.rotateSecret, rotateSecret)
        case .rotateSecretMasterKey: BoundEndpoint(Endpoints.rotateSecretMasterKey, rotateSecretMasterKey)
        }
    }
}

extension V1Routes {
    /// These routes with the release service and the status board.
    public func serving(releases: any ReleaseManagement, status: any StatusBoard) -> V1Routes {
        var routes = self
        routes.releases = releases
        routes.status = status
        return routes
    }
}
