import PlatformAPI

// Apart from the suite: this file imports neither Foundation (whose `Operation` is another
// type) nor PlatformHTTP (whose `PlatformAPI` enum hides the module's name).
extension IAMIsolationTests {
    /// Every operation and what a foreign key must get. An exhaustive switch: a new operation
    /// does not compile until it has a row.
    static func expectation(_ operation: Operation) -> Expectation {
        switch operation {
        case .whoami, .getRegistry, .listTenants, .listKeys, .listAuditRecords, .getAuditCheckpoint, .listNodes: .listWithoutOthers
        case .createTenant, .createProject, .exportAudit, .createPlatformServiceAccount: .forbidden
        case .getAuditConsistency: .badRequest
        case .listProjects, .getProjectSummary, .createTenantServiceAccount, .listTenantServiceAccounts, .deleteTenantServiceAccount: .notFound
        case .createServiceAccount, .listServiceAccounts, .deleteServiceAccount: .notFound
        case .registerApp, .listApps, .listAppVersions: .notFound
        // The platform catalog is every tenant's to read (and names no tenant's ids); publishing
        // and deprecating need apps:catalog:publish, platform control's, which no project role holds.
        case .listCatalogApps: .listWithoutOthers
        case .publishCatalogApp, .deprecateCatalogApp: .forbidden
        case .createKey, .rotateKey, .revokeKey: .notFound
        case .registerSigningKey, .listSigningKeys, .rotateSigningKey, .revokeSigningKey: .notFound
        case .listArtifacts, .getArtifact, .promoteArtifact: .notFound
        case .launchInstance, .listInstances, .getInstance, .listInstanceEvents, .readInstanceLogs, .getInstanceUsage: .notFound
        case .stopInstance, .deleteInstance, .execInstance: .notFound
        case .createVolume, .listVolumes, .deleteVolume: .notFound
        // Secrets: a foreign project's secrets are out of reach; the master key is platform-wide
        // and needs secrets:masterkey:rotate, which no project role holds.
        case .setSecret, .listSecrets, .deleteSecret, .rotateSecret: .notFound
        case .rotateSecretMasterKey: .forbidden
        case .connectInstance, .listConnectSessions, .refreshConnectSession, .revokeConnectSession: .notFound
        // Notifications: the feed is the caller's own; a foreign project's webhooks and preferences
        // are out of reach; dead letters are platform-wide and need a scope no project role holds.
        case .listNotifications, .streamNotifications: .listWithoutOthers
        case .createWebhook, .listWebhooks, .deleteWebhook, .getNotificationPreferences, .setNotificationPreferences: .notFound
        case .listDeadLetters, .retryDeadLetter: .forbidden
        // Policy: a foreign project's values are out of reach; plans name no tenant or project;
        // every write needs policy:write, which no project role holds.
        case .listProjectPolicies, .explainPolicy, .listProjectFlags: .notFound
        case .listPlans: .listWithoutOthers
        case .setPolicy, .assignPlan, .setDepartment, .setFlag: .forbidden
        // Usage: reporting needs usage:events:write, which no project role holds; a summary names
        // exactly one project or tenant, which the probe does not send.
        case .ingestUsageEvents: .forbidden
        case .getUsageSummary: .badRequest
        // Billing: money is tenant-wide (billing:read is a tenant admin's); credits, closing and
        // the ledger check are platform admins'; a budget of a foreign tenant or project is out
        // of reach.
        case .getBillingBalance, .getStatement, .listBudgets, .listLedgerEntries: .forbidden
        case .closeStatement, .grantCredit, .verifyLedger: .forbidden
        // Releases: a foreign project's releases are out of reach; promotion needs
        // release:promote (platform control's), which no project role holds; the platform's
        // evidence key names no tenant or project.
        case .createRelease, .listReleases, .getRelease, .addReleaseEvidence, .addPlatformEvidence, .smokeRelease, .approveRelease,
             .getReleaseGates, .getReleaseEnvelope: .notFound
        case .promoteRelease: .forbidden
        case .getPlatformEvidenceKey: .listWithoutOthers
        // Status: the operator view and its writes are platform control's (the public view is /status).
        case .getStatus, .getComponentHistory, .listIncidents, .openIncident, .updateIncident, .listMaintenance, .scheduleMaintenance,
             .cancelMaintenance: .forbidden
        case .setTenantBudget, .removeTenantBudget, .setProjectBudget, .removeProjectBudget: .notFound
        }
    }

    /// How many operations there are.
    static var operationCount: Int { Operation.allCases.count }
}
