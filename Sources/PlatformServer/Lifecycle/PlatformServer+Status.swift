import PlatformContracts
import PlatformStore
import RuntimeKit
import StatusService

extension PlatformServer {
    /// The components the status board tracks: the dependencies (the database, the blob
    /// store, Slurm when configured), each runtime adapter, and every module of the
    /// ``ModuleCatalog``. Each names the readiness checks that feed it by key prefix; the
    /// rest are operational unless an incident or a maintenance window says otherwise.
    static func statusComponents(adapters: [any RuntimeAdapter], slurm: Bool, database: StoreBackend) -> [MonitoredComponent] {
        let version = PlatformVersion.version
        var components = [
            MonitoredComponent(id: "database", kind: .dependency, name: "Database", version: database.rawValue,
                               checkPrefixes: ["database:"]),
            MonitoredComponent(id: "blob-store", kind: .dependency, name: "Blob store", checkPrefixes: ["blobstore:"]),
        ]
        if slurm {
            components.append(MonitoredComponent(id: "slurm", kind: .dependency, name: "Slurm", checkPrefixes: ["slurm:"]))
        }
        for adapter in adapters {
            let name = adapter.capabilities.name
            // The Slurm adapter is as healthy as the Slurm it submits to (`slurm:nodes`).
            components.append(MonitoredComponent(id: "adapter:\(name)", kind: .adapter, name: "Runtime: \(name)", version: version,
                                                 checkPrefixes: name == "slurm" ? ["slurm:"] : []))
        }
        // Module checks: policy:age → policy, ledger:writer → metering, outbox:* → notification (delivery).
        let moduleChecks = ["policy": ["policy:"], "metering": ["ledger:"], "notification": ["outbox:"]]
        for module in ModuleCatalog.modules {
            components.append(MonitoredComponent(id: "module:\(module.name)", kind: .module, name: moduleNames[module.name] ?? module.name,
                                                 version: version, checkPrefixes: moduleChecks[module.name] ?? []))
        }
        return components
    }

    /// What `/status` calls each module.
    static let moduleNames = [
        "iam": "Identity and access", "audit": "Audit log", "metering": "Metering and billing", "status": "Status",
        "notification": "Notifications", "policy": "Policy", "registry": "Registries", "evidence": "Release evidence",
        "secrets": "Signing keys", "artifacts": "Artifact registry", "runtime": "Runtime", "apps": "Apps and launches",
    ]
}
