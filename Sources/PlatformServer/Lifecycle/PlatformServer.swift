import Foundation
import AppPlatform
import ArtifactRegistry
import AuditService
import LocalRuntimeAdapter
import MeteringService
import SlurmRuntimeAdapter
import Hummingbird
import HummingbirdWebSocket
import IAMService
import Logging
import ManifestKit
import PlatformContracts
import PlatformHTTP
import PortalPreview
import PlatformStore
import Prometheus
import RuntimeKit
import RegistryService
import SecretsService
import ServiceLifecycle
import StatusService
import Synchronization
import TransparencyLog
import UnixSignals
import Yams

/// `platformd` assembled: store, blob store, health, metrics and the HTTP application,
/// run inside one `ServiceGroup` that shuts down gracefully on SIGTERM/SIGINT.
///
/// ```swift
/// let server = try await PlatformServer.bootstrap(configuration, logger: logger)
/// try await server.run()
/// ```
public struct PlatformServer: Sendable {
    /// The HTTP application (a `Service`).
    public let application: Application<RouterResponder<PlatformRequestContext>>
    /// The SQL store, shut down after the application stops.
    public let store: SQLStore
    /// The content-addressed blob store.
    public let blobs: FileSystemBlobStore
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

    /// Opens the store, migrates it and builds the application.
    /// - Throws: ``ErrorCode/storeSchemaTooNew`` (refuse to start), ``ErrorCode/configInvalid``,
    ///   ``ErrorCode/storeInvalidURL``. An unreachable PostgreSQL does not throw: the server
    ///   starts, `/readyz` fails with the reason, and the supervisor retries.
    public static func bootstrap(_ configuration: ServerConfiguration, logger: Logger) async throws -> PlatformServer {
        let dataDirectory = URL(fileURLWithPath: configuration.dataDirectory).standardizedFileURL
        do {
            try FileManager.default.createDirectory(
                at: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw PlatformError(.configInvalid, "cannot create data directory \(dataDirectory.path): \(error.localizedDescription)")
        }
        let location = try configuration.databaseURL.map { url throws(PlatformError) in try DatabaseLocation(url: url) }
            ?? .sqlite(path: dataDirectory.appendingPathComponent("platform.db").path)
        let registries = try RegistryFiles.locate(
            explicit: configuration.registryDirectory,
            startingAt: [URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                         URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()])
        let registrySet = try RegistrySet.load(registries)
        let scopeRegistry = registrySet.scopes
        let auditActions = registrySet.auditActions
        let signer = try AuditSigningKey.loadOrCreate(
            at: dataDirectory.appendingPathComponent("audit-signing.key"), name: "platformd")
        let manifestValidator = try registries.manifestValidator(registrySet)
        let store = try await SQLStore.open(location, logger: logger)
        let migrator = Migrator(store: store, sets: ModuleCatalog.migrations, logger: logger)
        let audit = AuditLog(
            store: store, actions: auditActions, signer: signer,
            origin: "platformd/audit/\(signer.verifierKey.split(separator: "+")[1])")
        let identity = IAMDirectory(store: store, scopes: scopeRegistry, audit: audit)
        let catalog = AppCatalog(
            store: store, identity: identity, audit: audit, validator: manifestValidator, registryVersions: registrySet.versions)
        let keyFile = dataDirectory.appendingPathComponent("bootstrap-admin.key")
        let bootstrapAdmin: @Sendable () async throws -> Void = {
            if let file = try await identity.bootstrapIfEmpty(keyFile: keyFile) {
                logger.notice("bootstrap admin created; its API key was written once (mode 0600)", metadata: [
                    "key_file": "\(file.path)", "next_step": "appctl login --key-file \(file.path)",
                ])
            }
        }

        var problem: String?
        var applied: [String: Int] = [:]
        do {
            try await migrator.migrate()
            applied = try await migrator.appliedVersions()
            _ = try await PlatformSettings(store: store).installationID()
            try await bootstrapAdmin()
        } catch let error as PlatformError where error.code == .storeUnavailable {
            problem = error.message
            logger.error("database unavailable at start-up; serving with /readyz failing until it answers", metadata: [
                "database": "\(location.redacted)", "error": "\(error.message)",
            ])
        } catch {
            await store.shutdown()
            throw error
        }
        let supervisor = StoreSupervisor(
            migrator: migrator, initialProblem: problem, applied: applied, logger: logger, onReady: bootstrapAdmin)
        let blobs: FileSystemBlobStore
        do {
            blobs = try FileSystemBlobStore(root: dataDirectory.appendingPathComponent("blobs"))
        } catch {
            await store.shutdown()
            throw error
        }
        let registryTokens: RegistryTokenSigner
        do {
            registryTokens = try RegistryTokenSigner.loadOrCreate(at: dataDirectory.appendingPathComponent("registry-token.key"))
        } catch {
            await store.shutdown()
            throw error
        }
        let signingKeys = SigningKeyStore(store: store, identity: identity, audit: audit)
        let ledger = TrustLedger(
            store: store, blobs: blobs, keys: signingKeys, identity: identity, audit: audit, types: registrySet.artifactTypes,
            evidencePredicates: registrySet.evidencePredicates)
        let registry = OCIRegistry(store: store, blobs: blobs, identity: identity, audit: audit, ledger: ledger)
        let collector = RegistryGarbageCollector(registry: registry, logger: logger)
        let devices: [GPUDevice]
        if let declaration = configuration.gpuInventory {
            do {
                devices = try Self.declaredGPUs(declaration, models: registrySet.gpuModels)
            } catch {
                await store.shutdown()
                throw error
            }
        } else {
            do {
                devices = try NvidiaSMI.discover(binary: configuration.nvidiaSMI, models: registrySet.gpuModels)
            } catch {
                logger.warning("GPU discovery failed; serving without GPUs", metadata: ["error": "\(error)"])
                devices = []
            }
        }
        let inventory = GPUInventory(nodes: [GPUNode(name: ProcessInfo.processInfo.hostName, devices: devices)])
        logger.info("GPU inventory", metadata: ["gpus": "\(devices.count)", "models": "\(Set(devices.compactMap(\.modelId)).sorted())"])

        let metrics = PlatformMetrics()
        let runtimeRoot = dataDirectory.appendingPathComponent("runtime")
        var adapters: [any RuntimeAdapter] = [
            LocalRuntimeAdapter(root: runtimeRoot.appendingPathComponent("local"), inventory: inventory, blobs: blobs,
                                node: ProcessInfo.processInfo.hostName),
        ]
        if let slurmConf = configuration.slurmConf {
            let template = try Self.locateSlurmTemplate(near: registries.directory)
            adapters.append(SlurmRuntimeAdapter(
                configuration: .init(root: runtimeRoot.appendingPathComponent("slurm"), template: template, slurmConf: slurmConf,
                                     defaultPartition: configuration.slurmPartition, bwrap: HostCommand.locate("bwrap") ?? "/usr/bin/bwrap"),
                blobs: blobs))
        }
        for adapter in adapters {
            try? FileManager.default.createDirectory(at: runtimeRoot.appendingPathComponent(adapter.capabilities.name),
                                                     withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        var instanceSettings = InstanceService.Settings()
        instanceSettings.meteringIntervalMs = Int64(configuration.meteringIntervalSeconds) * 1000
        instanceSettings.pollInterval = .milliseconds(configuration.pollIntervalMilliseconds)
        instanceSettings.quotas = try Self.quotas(plan: configuration.quotaPlan, registries: registrySet)
        let sshAuthority: SSHCertificateAuthority
        do {
            sshAuthority = try SSHCertificateAuthority.loadOrCreate(at: dataDirectory.appendingPathComponent("ssh-user-ca.key"))
        } catch {
            await store.shutdown()
            throw error
        }
        instanceSettings.sshUserCA = sshAuthority.publicKeyLine
        instanceSettings.idleMinute = .seconds(configuration.idleMinuteSeconds)
        let usage = UsageEventLog(store: store)
        let phaseGauges = Dictionary(uniqueKeysWithValues: InstancePhase.names.map { phase in
            (phase, metrics.registry.makeGauge(
                descriptor: MetricNameDescriptor(metricName: "platform_instances", unitName: "",
                                                 helpText: "Instances this server supervises, by phase."),
                labels: [("phase", phase)]))
        })
        let instances = InstanceService(
            store: store, identity: identity, audit: audit, catalog: catalog, validator: manifestValidator, registry: registry,
            ledger: ledger, adapters: adapters, usage: usage, settings: instanceSettings, logger: logger,
            onPhaseCounts: { counts in for (phase, count) in counts { phaseGauges[phase]?.set(Double(count)) } })
        let connectMetrics = ConnectMetrics(metrics)
        var connectObservers = ConnectService.Observers()
        connectObservers.activeSessions = { connectMetrics.setActiveSessions($0) }
        var connectSettings = ConnectService.Settings()
        connectSettings.maximumTTLSeconds = configuration.connectMaxTTLSeconds
        let connect = await ConnectService(
            store: store, identity: identity, audit: audit, instances: instances, authority: sshAuthority,
            settings: connectSettings, observers: connectObservers, logger: logger)
        let settings = PlatformSettings(store: store)
        let installationID = InstallationIDCache(settings: settings)
        let health = HealthAggregator(
            checks: [
                DatabaseHealthCheck(store: store, schemaProblem: { supervisor.schemaProblem() }),
                BlobStoreHealthCheck(store: blobs),
            ],
            version: PlatformVersion.version,
            serviceID: { await installationID.value() }
        )
        let startedAt = Timestamp.now().rfc3339
        let operations = OperationsRoutes(health: health, metrics: metrics) {
            VersionInfo(
                name: "platformd", version: PlatformVersion.version, apiVersion: PlatformVersion.apiVersion,
                compiler: PlatformVersion.compiler, platform: Self.platformName,
                databaseBackend: location.backendName, schema: supervisor.appliedVersions(),
                installationId: await installationID.value(), startedAt: startedAt)
        }
        let router = try PlatformRouter.make(
            operations: operations, metrics: metrics,
            api: (SecuredRouter(identity: identity, audit: audit, metrics: metrics),
                  V1Handlers.make(identity: identity, audit: audit, catalog: catalog, keys: signingKeys, ledger: ledger, inventory: inventory, instances: instances,
                                  connect: connect, registries: { registrySet.documents[$0] })),
            registry: OCIRoutes(registry: registry, identity: identity, audit: audit, metrics: metrics, tokens: registryTokens,
                                externalURL: configuration.effectiveExternalURL),
            connect: ConnectProxy(connect: connect, metrics: connectMetrics, origins: Self.origins(configuration)),
            portal: Self.portalRoutes(near: registries.directory, logger: logger))
        let webSockets = ConnectWebSockets(connect: connect, metrics: connectMetrics, logger: logger, origins: Self.origins(configuration)).router()
        let listen = configuration.listen
        let application = Application(
            router: router,
            server: .http1WithWebSockets(
                webSocketRouter: webSockets, maxFrameSize: ConnectWebSockets.maxFrameSize,
                timeouts: ConnectionTimeouts(requestHead: .seconds(Int64(configuration.requestHeadTimeoutSeconds)),
                                             idle: .seconds(Int64(configuration.idleTimeoutSeconds)))),
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "platformd"),
            services: [supervisor, AuditCheckpointer(log: audit, logger: logger), collector, instances, connect],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? listen.port
                logger.notice("platformd listening", metadata: [
                    "address": "\(listen.host):\(port)",
                    "database": "\(location.redacted)",
                    "data_dir": "\(dataDirectory.path)",
                    "next_step": "appctl --server http://\(listen.host == "0.0.0.0" ? "127.0.0.1" : listen.host):\(port) status",
                ])
            },
            logger: logger
        )
        logger.info("modules registered", metadata: [
            "modules": .array(ModuleCatalog.modules.map { .string("\($0.name) (\($0.kind.rawValue))") }),
            "adapters": .array(adapters.map { .string($0.capabilities.name) }),
        ])
        return PlatformServer(
            application: application, store: store, blobs: blobs, metrics: metrics, supervisor: supervisor,
            identity: identity, audit: audit, bootstrapKeyFile: keyFile, registry: registry, ledger: ledger, collector: collector, inventory: inventory,
            instances: instances, usage: usage, connect: connect,
            logger: logger)
    }

    /// Serves until SIGTERM or SIGINT, then drains and closes the store.
    public func run() async throws {
        let group = ServiceGroup(configuration: .init(
            services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            await store.shutdown()
            throw error
        }
        await store.shutdown()
        logger.notice("platformd stopped")
    }

    /// `runtime-adapters/slurm/job.sbatch.tmpl` of the checkout the registries come from, the
    /// working directory or the executable's.
    /// - Throws: ``ErrorCode/configInvalid`` when none has it.
    /// The portal next to the registries' `manifests/` (the checkout's `portal/`), rendered
    /// to HTML on the first `/portal/` request; without one, `/portal/` answers 404 saying why.
    static func portalRoutes(near registries: URL, logger: Logger) -> PortalRoutes {
        let root = registries.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("portal")
        return PortalRoutes {
            let started = ContinuousClock.now
            let files = try PortalPreview.render(portal: root)
            logger.info("portal rendered", metadata: ["pages": "\(files.count)", "from": "\(root.path)",
                                                      "elapsed": "\(ContinuousClock.now - started)"])
            return Dictionary(files.map { ($0.path, $0.html) }, uniquingKeysWith: { first, _ in first })
        }
    }

    static func locateSlurmTemplate(near registries: URL) throws(PlatformError) -> URL {
        let relative = "runtime-adapters/slurm/job.sbatch.tmpl"
        var candidates = [registries.deletingLastPathComponent().deletingLastPathComponent(),
                          URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        var folder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" {
            candidates.append(folder)
            folder = folder.deletingLastPathComponent()
        }
        guard let found = candidates.map({ $0.appendingPathComponent(relative) }).first(where: { FileManager.default.fileExists(atPath: $0.path) })
        else {
            throw PlatformError(.configInvalid, "--slurm-conf is set but \(relative) is not found next to the registries, the working directory or platformd")
        }
        return found
    }

    /// The GPUs a `--gpu-inventory` file (YAML or JSON) declares for this host.
    static func declaredGPUs(_ path: String, models: GPUModelRegistry) throws -> [GPUDevice] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw PlatformError(.configInvalid, "cannot read the GPU declaration \(path)")
        }
        let loaded: Any?
        do {
            try DocumentLimits.standard.check(yaml: text)
        } catch {
            throw error.platformError(file: path)
        }
        do {
            loaded = try Yams.load(yaml: text)
        } catch {
            throw PlatformError(.configInvalid, "\(path) is not YAML: \(error)")
        }
        guard let loaded, JSONSerialization.isValidJSONObject(loaded), let json = try? JSONSerialization.data(withJSONObject: loaded) else {
            throw PlatformError(.configInvalid, "\(path) is not a GPU declaration ({devices: [...]})")
        }
        return try DeclaredGPUs.parse(json, models: models, source: path)
    }

    /// The quotas of `plan` in the policy registry.
    /// - Throws: ``ErrorCode/configInvalid`` when the registry has no such policy.
    static func quotas(plan: String, registries: RegistrySet) throws(PlatformError) -> [String: Int] {
        struct Policies: Decodable {
            struct Policy: Decodable { var policy_id: String; var quotas: [String: Int]? }
            var policies: [Policy]
        }
        guard let bytes = registries.documents["policy"],
              let policies = try? JSONDecoder().decode(Policies.self, from: Data(bytes)) else {
            throw PlatformError(.configInvalid, "the policy registry cannot be read")
        }
        guard let policy = policies.policies.first(where: { $0.policy_id == plan }) else {
            throw PlatformError(.configInvalid, "quota plan \(plan) is not in policies.yaml (\(policies.policies.map(\.policy_id).joined(separator: ", ")))")
        }
        return policy.quotas ?? [:]
    }

    static var platformName: String {
        #if os(Linux)
        let os = "linux"
        #elseif os(macOS)
        let os = "macos"
        #else
        let os = "unknown"
        #endif
        #if arch(x86_64)
        return "\(os)/amd64"
        #elseif arch(arm64)
        return "\(os)/arm64"
        #else
        return os
        #endif
    }
}

/// Reads the installation id once it exists and remembers it.
final class InstallationIDCache: Sendable {
    private let settings: PlatformSettings
    private let cached = Mutex<String?>(nil)

    init(settings: PlatformSettings) {
        self.settings = settings
    }

    func value() async -> String? {
        if let id = cached.withLock({ $0 }) { return id }
        guard let id = try? await settings.installationID() else { return nil }
        cached.withLock { $0 = id }
        return id
    }
}
