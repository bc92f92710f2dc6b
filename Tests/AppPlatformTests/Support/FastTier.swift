@testable import AppPlatform
import ArtifactRegistry
import Crypto
import Foundation
import InMemoryRuntimeAdapter
import Logging
import ManifestKit
import NIOCore
import PlatformContracts
import PlatformStore
import PlatformTestKit
import RegistryService
import RuntimeKit
import Testing

/// The instance core in process, for the fast tier: an ``InstanceService`` over a SQLite
/// store in a temporary folder, the in-memory runtime twin (registered as `local`), a
/// ``ManualClock`` and a scripted readiness prober. The app catalog, the OCI registry and
/// the trust ledger are the real ones, so admission runs its real manifest, trust and quota
/// checks; only IAM and the signing-key directory are stand-ins.
///
/// ```swift
/// try await FastTier.with { tier in
///     try await tier.register(TestManifests.app("web"))
///     let record = try await tier.launch("web")
///     try await tier.waitFor(record.id, .ready)
/// }
/// ```
final class FastTier {
    static let project = Project(id: "01JFASTT1ERPR0JECT0000000A", tenantId: "01JFASTT1ERTENANT000000000", name: "fast",
                                 createdAt: "2027-01-01T00:00:00.000Z")
    /// A platform-owned project in another tenant: the platform catalog's source.
    static let catalogProject = Project(id: "01JCAT0000000000000000000B", tenantId: "01JCAT000000000000000TENAB", name: "catalog",
                                        createdAt: "2027-01-01T00:00:00.000Z")
    static let caller = Caller(principalId: "01JFASTTIERUSER0000000000A", principalName: "alice", principalKind: "user",
                               keyId: "K", tenantId: project.tenantId, projectId: project.id, scopes: [], expiresAt: "2099-01-01T00:00:00Z")
    /// The checkout's registry files (`manifests/platform`), found from this file's path.
    static func registryFiles() throws -> RegistryFiles {
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return try RegistryFiles.at(checkout.appendingPathComponent("manifests/platform"), setting: "the checkout")
    }

    /// What a launch does, by its `behaviour` parameter.
    static let behaviours: [String: InMemoryBehaviour] = [
        "serve": .serve,
        "exit0": .exits(0, after: .seconds(90)),
        "exit3": .exits(3, after: .seconds(30)),
        "broken": InMemoryBehaviour(startFailure: "exec format error"),
        "lost": InMemoryBehaviour(lostAfter: .seconds(30)),
        "full": InMemoryBehaviour(refusesCapacity: true),
        "slow": InMemoryBehaviour(pending: .seconds(20), pendingReason: "Resources"),
        "crash": InMemoryBehaviour(exit: .init(code: 1, after: .seconds(5)), output: "run of ${PLATFORM_INSTANCE_ID}\n"),
        "crash-late": .exits(1, after: .seconds(11 * 60)),
        "serve-args": InMemoryBehaviour(output: "args=${@}\n"),
    ]

    let directory: URL
    let store: SQLStore
    let clock: ManualClock
    let runtime: InMemoryRuntime
    let audit = RecordingAudit()
    let usage = RecordingUsage()
    /// The budgets' position admission and the budget enforcer read; nothing exhausted until a test says so.
    let spend = ScriptedSpendGuard()
    /// The policy every decision uses (``TestPolicy``); a test may swap its snapshot or make it stale.
    let policy: SwitchablePolicy
    let prober = ScriptedProber()
    /// The project's signing keys (none); a test makes them unreadable with `failing`.
    let signingKeys = TestSigningKeys()
    let catalog: AppCatalog
    let registry: OCIRegistry
    let ledger: TrustLedger
    let validator: ManifestValidator
    let authorizer: TestAuthorizer
    let registeredScopes: Set<String>
    let logger = Logger(label: "fast-tier") { _ in SwiftLogNoOpLogHandler() }
    var settings: InstanceService.Settings
    /// The maintenance calendar admission asks (none unless a test sets one and restarts).
    var maintenance: (any MaintenanceCalendar)?

    private(set) var service: InstanceService
    private(set) var adapter: ControlledAdapter
    private var running: Task<Void, any Error>?

    /// The settings every fast-tier service starts with: the twin as `local`, `development`
    /// accepting a `registered` artifact (nothing here signs), a 1 s poll.
    static var defaultSettings: InstanceService.Settings {
        var settings = InstanceService.Settings()
        settings.pollInterval = .seconds(1)
        settings.environments = ["development": .registered, "production": .promotedProduction]
        settings.defaultEnvironment = "development"
        settings.stopGrace = .seconds(10)
        return settings
    }

    /// The database a tier runs over: SQLite in its folder, or a fresh PostgreSQL database.
    enum Database: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case sqlite
        case postgres

        var testDescription: String { rawValue }

        /// SQLite always; PostgreSQL unless `PLATFORM_TEST_POSTGRES=skip`.
        static var enabled: [Database] { PostgresServer.isEnabled ? [.sqlite, .postgres] : [.sqlite] }
    }

    private init(settings: InstanceService.Settings, deniedScopes: Set<String>, gpus: Int, policy: PolicySnapshot,
                 database: Database) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("fast-tier-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.settings = settings
        clock = ManualClock(start: Timestamp(millisecondsSinceEpoch: 1_800_000_000_000))
        runtime = InMemoryRuntime(clock: clock, gpuCount: gpus) { spec in
            FastTier.behaviours[spec.environment["BEHAVIOUR"] ?? "serve"] ?? .serve
        }
        self.policy = SwitchablePolicy(policy)
        let location: DatabaseLocation = switch database {
        case .sqlite: .sqlite(path: directory.appendingPathComponent("platform.db").path)
        case .postgres: try DatabaseLocation(url: try await PostgresServer.shared.makeDatabase())
        }
        store = try await SQLStore.open(location, logger: logger)
        try await Migrator(store: store, sets: [AppCatalogSchema.migrations, ArtifactSchema.migrations, InstanceSchema.migrations,
                                                OutboxSchema.migrations, VolumeSchema.migrations],
                           logger: logger).migrate()
        let files = try Self.registryFiles()
        let scopes = try files.scopes()
        registeredScopes = Set(scopes.scopes.map(\.scopeId))
        validator = try files.manifestValidator()
        authorizer = TestAuthorizer(project: Self.project, registered: registeredScopes, denied: deniedScopes)
        catalog = AppCatalog(store: store, audit: audit, validator: validator, registryVersions: [:], clock: clock)
        let blobs = try FileSystemBlobStore(root: directory.appendingPathComponent("blobs"))
        ledger = TrustLedger(store: store, blobs: blobs, keys: signingKeys, identity: authorizer, audit: audit,
                             types: try files.artifactTypes(), evidencePredicates: [:], policy: self.policy)
        registry = OCIRegistry(store: store, blobs: blobs, identity: authorizer, audit: audit, ledger: ledger, policy: self.policy)
        (service, adapter) = Self.makeService(store: store, authorizer: authorizer, audit: audit, catalog: catalog, validator: validator,
                                              registry: registry, ledger: ledger, runtime: runtime, usage: usage, policy: self.policy,
                                              spend: spend, settings: settings, clock: clock, prober: prober, logger: logger)
    }

    /// Builds a tier, runs `body` with its supervisor started, then stops and removes it.
    /// - Parameters:
    ///   - policy: The snapshot the tier's ``policy`` starts with.
    ///   - database: SQLite (the default) or PostgreSQL.
    static func with(settings: InstanceService.Settings = defaultSettings, deniedScopes: Set<String> = [],
                     gpus: Int = 2, start: Bool = true, policy: PolicySnapshot = TestPolicy.snapshot(), database: Database = .sqlite,
                     _ body: (FastTier) async throws -> Void) async throws {
        let tier = try await FastTier(settings: settings, deniedScopes: deniedScopes, gpus: gpus, policy: policy, database: database)
        do {
            if start { try await tier.start() }
            try await body(tier)
        } catch {
            await tier.close()
            throw error
        }
        await tier.close()
    }

    /// A service over this tier's store and runtime with a fresh adapter (a restarted server's).
    func makeService(validator: ManifestValidator? = nil) -> (InstanceService, ControlledAdapter) {
        Self.makeService(store: store, authorizer: authorizer, audit: audit, catalog: catalog, validator: validator ?? self.validator,
                         registry: registry, ledger: ledger, runtime: runtime, usage: usage, policy: policy, spend: spend,
                         settings: settings, clock: clock, prober: prober, logger: logger, maintenance: maintenance)
    }

    /// Another replica over the same database (through `store`, its own pool), runtime and
    /// clock, named `replica` in its leases; the caller runs and stops it.
    /// - Parameter clock: Its own clock (a replica whose time moves while this tier's stands
    ///   still: the tier's supervisor stalls); `nil`, the tier's.
    func makeReplica(_ replica: String, store: SQLStore, clock: ManualClock? = nil) -> (InstanceService, ControlledAdapter) {
        var settings = self.settings
        settings.replica = replica
        return Self.makeService(store: store, authorizer: authorizer, audit: audit, catalog: catalog, validator: validator,
                                registry: registry, ledger: ledger, runtime: runtime, usage: usage, policy: policy, spend: spend,
                                settings: settings, clock: clock ?? self.clock, prober: prober, logger: logger, maintenance: maintenance)
    }

    private static func makeService(store: SQLStore, authorizer: TestAuthorizer, audit: RecordingAudit, catalog: AppCatalog,
                                    validator: ManifestValidator, registry: OCIRegistry, ledger: TrustLedger, runtime: InMemoryRuntime,
                                    usage: RecordingUsage, policy: any PolicyEvaluator, spend: any SpendGuard, settings: InstanceService.Settings,
                                    clock: ManualClock, prober: ScriptedProber, logger: Logger,
                                    maintenance: (any MaintenanceCalendar)? = nil) -> (InstanceService, ControlledAdapter) {
        // Claimed in the store like platformd's local adapter: replicas share no inventory.
        let inventory = GPUInventory(nodes: [GPUNode(name: runtime.node, devices: runtime.devices)], claims: GPUDeviceClaimTable(store: store))
        let adapter = ControlledAdapter(InMemoryRuntimeAdapter(runtime: runtime, name: "local", inventory: inventory))
        let service = InstanceService(store: store, identity: authorizer, audit: audit, catalog: catalog, validator: validator,
                                      registry: registry, ledger: ledger, adapters: [adapter], usage: usage, policy: policy,
                                      spend: spend, settings: settings,
                                      clock: clock, prober: prober, logger: logger, maintenance: maintenance)
        return (service, adapter)
    }

    /// Runs the supervisor and waits until it has re-attached the store's instances.
    func start() async throws {
        let service = self.service
        running = Task { try await service.run() }
        try await waitUntil("the supervisor recovered") { service.isRecovered }
        try await waitUntilIdle()
    }

    /// Stops the supervisor as a killed process would leave things: rows and workloads stay.
    /// Waits for the supervisor to be quiet first: cancelling it in the middle of a store
    /// write is not what a crash does (a crash leaves no half-open transaction behind).
    /// - Parameter requireQuiet: Whether a supervisor still busy after the wait fails the test
    ///   (a restart mid-test needs the quiet; the last teardown of a test that already asserted
    ///   everything only prefers it: a begin still waiting on the manual clock, or a pool
    ///   starved by the parallel phase, is no failure of that test).
    func kill(requireQuiet: Bool = true) async {
        if requireQuiet {
            try? await waitUntilIdle()
        } else {
            _ = try? await waitQuietly(timeout: .seconds(30)) { await self.isIdle() }
        }
        running?.cancel()
        _ = await running?.result
        running = nil
    }

    /// A restarted server: a new service and adapter over the same store and runtime.
    func restart(validator: ManifestValidator? = nil) async throws {
        await kill()
        (service, adapter) = makeService(validator: validator)
        try await start()
    }

    func close() async {
        await kill(requireQuiet: false)
        await store.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: Catalog and registry

    /// Registers an app version in the catalog.
    func register(_ manifest: String, in project: Project = FastTier.project) async throws {
        _ = try await catalog.register(in: project, file: "app.yaml", manifest: manifest, by: Self.caller, requestID: nil)
    }

    /// Pushes the artifact every test app runs (`examples/demo:1.0.0`, an empty-layer image)
    /// through the real registry: it is `registered` in the trust ledger.
    func pushArtifact(tag: String = "1.0.0", in project: Project = FastTier.project) async throws {
        let access = try await registry.access("\(project.id.lowercased())/demo", caller: Self.caller, .push, requestID: nil)
        let config = Data(#"{"architecture":"amd64","os":"linux"}"#.utf8)
        let configDigest = ContentDigest(sha256Bytes: Array(SHA256.hash(data: config)))
        let upload = try await registry.startUpload(access)
        _ = try await registry.finishUpload(access, upload, digest: configDigest, body: [ByteBuffer(bytes: config)].async)
        let manifest = """
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",\
        "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\(configDigest)","size":\(config.count)},"layers":[]}
        """
        _ = try await registry.putManifest(access, reference: tag, bytes: Data(manifest.utf8), contentType: nil)
    }

    // MARK: Instances

    func launch(_ app: String, params: [String: String]? = nil, environment: String? = nil, gpus: String? = nil,
                adapter: String? = nil) async throws -> InstanceRecord {
        try await service.launch(in: Self.project, LaunchRequest(app: app, adapter: adapter, environment: environment, gpus: gpus, params: params),
                                 by: Self.caller, requestID: nil)
    }

    /// Asks for a stop and waits (the clock untouched) until the supervisor's stop has
    /// reached the runtime, so the workload ends at this instant of the clock.
    @discardableResult
    func stop(_ id: String, requestID: String? = nil) async throws -> InstanceRecord {
        let record = try await service.stop(in: Self.project, id: id, by: Self.caller, requestID: requestID)
        let runtime = self.runtime
        try await waitUntil("the stop of \(id) reached the runtime") { runtime.observation(of: id).state.isTerminal }
        return record
    }

    func record(_ id: String) async throws -> InstanceRecord { try await service.get(in: Self.project, id: id) }

    func phases(_ id: String) async throws -> [InstancePhase] { try await service.events(in: Self.project, id: id, after: 0).map(\.phase) }

    /// Waits (real time, the clock untouched) until the instance is in `phase`.
    func waitFor(_ id: String, _ phase: InstancePhase, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        try await waitUntil("\(id) reaches \(phase.name)", sourceLocation: sourceLocation) { try await self.record(id).phase == phase }
    }

    /// Moves the clock by `duration` in poll-interval steps, letting the supervisor finish
    /// each look before the next step.
    func advance(by duration: Duration) async throws {
        var left = duration
        while left > .zero {
            let step = min(left, settings.pollInterval)
            await clock.advance(by: step)
            try await waitUntilIdle()
            left -= step
        }
    }

    /// Waits until the supervisor's poll loop is asleep again and nothing it started is still at work.
    /// Whether the supervisor's loop sleeps on the clock with nothing in flight.
    func isIdle() async -> Bool {
        guard clock.sleeperCount >= 1 else { return false }
        let busy = await service.supervisor.inFlight.count + service.supervisor.reconciling.count
        return busy == 0
    }

    func waitUntilIdle(sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        let quiet: () async -> Bool = { await self.isIdle() }
        try await waitUntil("the supervisor is idle", sourceLocation: sourceLocation, quiet)
        // The loop sleeps after its look; give tasks it queued (stops, begins) a moment to land.
        for _ in 0..<2 {
            try await Task.sleep(for: .milliseconds(1))
            try await waitUntil("the supervisor is idle", sourceLocation: sourceLocation, quiet)
        }
    }
}

/// Polls `condition` in real time (1 ms apart) until it holds or `timeout` passes; false on a timeout, which records nothing.
func waitQuietly(timeout: Duration, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(1))
    }
    return try await condition()
}

/// Polls `condition` in real time (1 ms apart) for up to 30 s; a timeout is a test failure.
/// The bound is generous on purpose: the fast tier runs beside ~300 other tests on 2 cores,
/// and a passing wait returns as soon as its condition holds, so only a failure waits it out.
func waitUntil(_ what: String, timeout: Duration = .seconds(30), sourceLocation: Testing.SourceLocation = #_sourceLocation,
               _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    // The condition is checked once more after the deadline: a task resumed late by a
    // starved cooperative pool must not fail a condition that came true in time.
    while true {
        if try await condition() { return }
        if ContinuousClock.now >= deadline { break }
        try await Task.sleep(for: .milliseconds(1))
    }
    Issue.record("timed out waiting until \(what)", sourceLocation: sourceLocation)
    throw CancellationError()
}

extension Array where Element: Sendable {
    /// The elements as an `AsyncSequence` (an upload body).
    var async: AsyncStream<Element> {
        AsyncStream { continuation in
            for element in self { continuation.yield(element) }
            continuation.finish()
        }
    }
}
