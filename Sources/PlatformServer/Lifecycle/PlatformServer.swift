import AppPlatform
import ArtifactRegistry
import AuditService
import Foundation
import Hummingbird
import IAMService
import Logging
import MeteringService
import PlatformContracts
import PlatformHTTP
import PlatformStore
import RuntimeKit
import ServiceLifecycle
import UnixSignals

/// `platformd` assembled: store, blob store, health, metrics and the HTTP application,
/// run inside one `ServiceGroup` that shuts down gracefully on SIGTERM/SIGINT.
///
/// ```swift
/// let server = try await PlatformServer.bootstrap(configuration, logger: logger)
/// try await server.run()
/// ```
///
/// The bootstrap is four small steps, one file each: the files on disk
/// (``HostFiles``, `HostFiles.swift`), the store (`PlatformServer+Store.swift`), the
/// services over it (`PlatformServer+Services.swift`), this host's GPUs and runtime adapters
/// (`PlatformServer+Adapters.swift`), and the router and application
/// (`PlatformServer+Router.swift`).
public struct PlatformServer: Sendable {
    /// The HTTP application (a `Service`); the store, the schema supervisor and the
    /// background loops are services inside it.
    public let application: Application<RouterResponder<PlatformRequestContext>>
    /// The SQL store; the application's first service closes it after the rest have stopped.
    public let store: SQLStore
    /// The content-addressed blob store.
    public let blobs: any BlobStore
    /// The registry's resumable uploads in front of ``blobs``.
    public let uploads: ResumableUploads
    /// The server's metrics registry.
    public let metrics: PlatformMetrics
    /// Keeps the schema migrated and reports readiness.
    public let supervisor: StoreSupervisor
    /// The IAM service.
    public let identity: IAMDirectory
    /// The audit service.
    public let audit: AuditLog
    /// Where the bootstrap admin's key is written on first start.
    public let bootstrapKeyFile: URL
    /// The OCI registry.
    public let registry: OCIRegistry
    /// Trust states and promotion gates.
    public let ledger: TrustLedger
    /// The registry's garbage collector.
    public let collector: RegistryGarbageCollector
    /// GPU nodes and allocations.
    public let inventory: GPUInventory
    /// App instances and their supervisor.
    public let instances: InstanceService
    /// Durable usage events.
    public let usage: UsageEventLog
    /// Connect sessions.
    public let connect: ConnectService
    private let logger: Logger

    /// Reads the files, opens and migrates the store, builds the services and the application.
    ///
    /// Every step that can fail without the store (files, keys, GPUs, adapters, quotas) runs
    /// before the store opens; from then on ``withStore(_:logger:assemble:)`` closes it if
    /// anything fails, and once assembled the store is a service of the application.
    /// - Throws: ``ErrorCode/storeSchemaTooNew`` (refuse to start), ``ErrorCode/configInvalid``,
    ///   ``ErrorCode/storeInvalidURL``. An unreachable PostgreSQL does not throw: the server
    ///   starts, `/readyz` fails with the reason, and the supervisor retries.
    public static func bootstrap(_ configuration: ServerConfiguration, logger: Logger) async throws -> PlatformServer {
        let files = try HostFiles.load(configuration)
        let host = try makeHostRuntime(configuration, files: files, logger: logger)
        let instanceSettings = try makeInstanceSettings(configuration, files: files)
        return try await withStore(files.databaseLocation, logger: logger) { store in
            host.gpuClaims.set(GPUDeviceClaimTable(store: store))
            let metrics = PlatformMetrics()
            let services = try await makeServices(
                store: store, files: files, host: host, instanceSettings: instanceSettings, configuration: configuration,
                metrics: metrics, logger: logger)
            let supervisor = try await migrateAtStart(store: store, files: files, services: services, logger: logger)
            let application = try makeApplication(
                configuration, files: files, store: store, supervisor: supervisor, services: services, metrics: metrics,
                logger: logger)
            logger.info("modules registered", metadata: [
                "modules": .array(ModuleCatalog.modules.map { .string("\($0.name) (\($0.kind.rawValue)): \($0.summary)") }),
                "adapters": .array(host.adapters.map { .string($0.capabilities.name) }),
            ])
            return PlatformServer(
                application: application, store: store, blobs: files.blobs, uploads: files.uploads, metrics: metrics, supervisor: supervisor,
                identity: services.identity, audit: services.audit, bootstrapKeyFile: files.bootstrapKeyFile,
                registry: services.registry, ledger: services.ledger, collector: services.collector, inventory: host.inventory,
                instances: services.instances, usage: services.usage, connect: services.connect, logger: logger)
        }
    }

    /// Serves until SIGTERM or SIGINT. The application's services stop in reverse order, so
    /// the store, its first service, closes last, on a graceful stop and on a failure alike.
    public func run() async throws {
        let group = ServiceGroup(configuration: .init(
            services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.notice("platformd stopped")
    }
}
