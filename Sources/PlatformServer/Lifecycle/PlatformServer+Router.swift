import AppPlatform
import ArtifactRegistry
import AuditService
import IAMService
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import MeteringService
import NotificationService
import PlatformContracts
import RegistryService
import PlatformHTTP
import PlatformStore
import PolicyService
import PortalPreview
import ServiceLifecycle
import SlurmRuntimeAdapter
import StatusService

extension PlatformServer {
    /// Bootstrap step 4: health and version, the route table, the WebSocket router and the
    /// application with its services. Services start in this order and stop in reverse, so
    /// the store (first) closes after everything that uses it.
    /// - Throws: ``ErrorCode/internalError`` when an operation is bound to another's endpoint.
    static func makeApplication(
        _ configuration: ServerConfiguration, files: HostFiles, store: SQLStore, supervisor: StoreSupervisor,
        services: PlatformServices, metrics: PlatformMetrics, logger: Logger
    ) throws -> Application<RouterResponder<PlatformRequestContext>> {
        let s = services
        let installationID = InstallationIDCache(settings: PlatformSettings(store: store))
        let health = HealthAggregator(
            checks: [
                DatabaseHealthCheck(store: store, schemaProblem: { supervisor.schemaProblem() }),
                BlobStoreHealthCheck(store: files.blobs),
                OutboxHealthCheck(counts: { try await s.outbox.counts() }),
                PolicyHealthCheck(policy: s.policy),
                LedgerWriterHealthCheck(store: store, lastTransactionFailed: { [health = s.rating.health] in health.current.lastTransactionFailed }),
            ] + (configuration.slurmConf == nil ? [] : [SlurmHealthCheck(slurmConf: configuration.slurmConf, partition: configuration.slurmPartition)]),
            version: PlatformVersion.version,
            serviceID: { await installationID.value() }
        )
        let operations = OperationsRoutes(
            health: health, metrics: metrics,
            version: versionInfo(location: files.databaseLocation, supervisor: supervisor, installationID: installationID),
            publicStatus: { [status = s.status] in try await status.publicStatus() })
        let registrySet = s.registrySet
        // sendfile(2) for blob GETs from local files, on a plain-HTTP listener (TLS encrypts in user space).
        let zeroCopy: ZeroCopyFiles? = files.tls == nil && configuration.sendfile ? ZeroCopyFiles() : nil
        let secured = SecuredRouter(identity: s.identity, audit: s.audit, metrics: metrics)
        let v1 = V1Routes(identity: s.identity, audit: s.audit, catalog: s.catalog, keys: s.signingKeys, ledger: s.ledger,
                          inventory: s.inventory, instances: s.instances, connect: s.connect,
                          notifications: s.notifications, policy: s.policy,
                          notificationFeedChanged: { [signal = s.notifications.feedSignal] in await signal.wait(timeout: $0) },
                          registries: { registrySet.documents[$0] },
                          billing: s.billing, usage: s.usage, usageUnits: registrySet.usageUnits)
            .serving(releases: s.releases, status: s.status)
            .reportingMigrations { try await migrationState(store: store) }
            .servingSecrets(s.secrets)
        let router = try PlatformRouter.make(
            operations: operations, metrics: metrics,
            api: (secured, v1),
            registry: { var routes = OCIRoutes(registry: s.registry, identity: s.identity, audit: s.audit, metrics: metrics,
                                               tokens: files.registryTokens, externalURL: configuration.effectiveExternalURL)
                routes.zeroCopy = zeroCopy
                return routes }(),
            connect: { var proxy = ConnectProxy(connect: s.connect, metrics: s.connectMetrics, origins: origins(configuration))
                proxy.servesTLS = files.tls != nil
                return proxy }(),
            portal: portalRoutes(files.resources.portal, logger: logger),
            console: try ConsoleRoutes(
                sessions: IAMWebSessions(store: store, authorizer: s.identity.authorizer), identity: s.identity, audit: s.audit,
                renderer: ConsoleRenderer.load(from: files.resources.console), secured: secured, routes: v1,
                secureCookies: configuration.tls != nil || configuration.effectiveExternalURL.hasPrefix("https://")))
        let webSockets = ConnectWebSockets(
            connect: s.connect, metrics: s.connectMetrics, logger: logger, origins: origins(configuration)).router()
        // `appctl instance exec -it`: the terminal WebSocket beside connect's.
        InstanceExecTerminal(identity: s.identity, audit: s.audit, instances: s.instances, origins: origins(configuration), logger: logger)
            .register(on: webSockets)
        let listen = configuration.listen
        let location = files.databaseLocation
        let dataDirectory = files.dataDirectory
        return Application(
            router: router,
            server: .http1WithWebSockets(
                webSocketRouter: webSockets, maxFrameSize: ConnectWebSockets.maxFrameSize,
                timeouts: ConnectionTimeouts(requestHead: .seconds(Int64(configuration.requestHeadTimeoutSeconds)),
                                             idle: .seconds(Int64(configuration.idleTimeoutSeconds))),
                tls: files.tls, zeroCopy: zeroCopy),
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "platformd"),
            services: [StoreService(store: store), supervisor,
                       // One lease (one lock connection) for all the work that runs on one replica at a time.
                       SingletonLease("singletons", store: store, running: ServiceBundle([
                           AuditCheckpointer(log: s.audit, logger: logger),
                           s.collector,
                           KeyExpiryScanner(store: store, interval: .seconds(configuration.keyExpiryScanIntervalSeconds), logger: logger),
                           StatementCloser(billing: s.billing, delay: .seconds(configuration.statementCloseDelaySeconds), logger: logger),
                           RegistryStorageSampler(registry: s.registry, usage: s.usage,
                                                  interval: .seconds(configuration.storageSampleIntervalSeconds),
                                                  unitVersion: files.registrySet.usageUnits.unit(RegistryStorageSampler.unit)?.version ?? 1,
                                                  logger: logger),
                       ]), logger: logger),
                       s.instances, s.connect, s.outbox, s.outboxMonitor, s.rating, s.balanceRollup,
                       ReleaseEvidenceAgeMonitor(store: store, metrics: metrics, logger: logger),
                       ComponentMonitor(board: s.status, health: health, interval: .seconds(configuration.statusIntervalSeconds),
                                        logger: logger),
                       PolicyRefresher(policy: s.policy, interval: .seconds(configuration.policyRefreshIntervalSeconds), logger: logger),
                       IAMChangeListener(store: store, model: s.iamReadModel, logger: logger)]
                + (files.tls.map { [TLSCertificateWatcher(source: $0, logger: logger)] } ?? []),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? listen.port
                logger.notice("platformd listening", metadata: [
                    "address": "\(listen.host):\(port)",
                    "database": "\(location.redacted)",
                    "data_dir": "\(dataDirectory.path)",
                    "resources": "\(files.resources.root.path)",
                    "tls": "\(files.tls.map { "\($0.current.subject), serial \($0.current.serial), until \($0.current.notAfter)" } ?? "off")",
                    "next_step": "appctl --server \(files.tls == nil ? "http" : "https")://\(listen.host == "0.0.0.0" ? "127.0.0.1" : listen.host):\(port) status",
                ])
            },
            logger: logger
        )
    }

    /// `portal/` under the resources, rendered to HTML on the first `/portal/` request;
    /// without one, `/portal/` answers 404 saying why.
    static func portalRoutes(_ root: URL, logger: Logger) -> PortalRoutes {
        PortalRoutes {
            let started = ContinuousClock.now
            let files = try PortalPreview.render(portal: root)
            logger.info("portal rendered", metadata: ["pages": "\(files.count)", "from": "\(root.path)",
                                                      "elapsed": "\(ContinuousClock.now - started)"])
            return Dictionary(files.map { ($0.path, $0.html) }, uniquingKeysWith: { first, _ in first })
        }
    }
}
