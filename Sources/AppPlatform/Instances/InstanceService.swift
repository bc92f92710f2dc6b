import ArtifactRegistry
import Foundation
import Logging
import ManifestKit
import PlatformContracts
import PlatformStore
import RuntimeKit
import ServiceLifecycle

/// App instances, as the routes see them: a thin facade over the parts that do the work.
///
/// - ``InstanceAdmission``: manifest → launch spec, trust, quota, placement; refusals audited.
/// - ``InstanceRepository``: every row and event, one transaction per phase change.
/// - ``InstanceSupervisor``: recovery, the reconcile loop and ``InstancePhaseMachine``
///   (``run()`` runs it; it is the `Service` in the server's group).
/// - ``UsageMeter`` (intervals of running instances, from the supervisor's poll) with
///   ``FinalUsageMetering`` (the last interval, as a subscriber), and ``ReadinessProber``.
///
/// Every phase change is published on ``phaseChanges``; connect, the metrics gauge and
/// later notifications subscribe. Methods take the ``Project`` the request already resolved.
public final class InstanceService: Service, Sendable {
    /// Tunables.
    public struct Settings: Sendable {
        /// How often the supervisor inspects running instances.
        public var pollInterval: Duration = .milliseconds(250)
        /// Length of one metering interval in milliseconds; usage is emitted per interval.
        public var meteringIntervalMs: Int64 = 60_000
        /// How long a stop waits before killing.
        public var stopGrace: Duration = .seconds(10)
        /// The trust state each environment requires.
        public var environments: [String: TrustState] = [
            "development": .verified, "staging": .promotedStaging, "production": .promotedProduction,
        ]
        /// The environment when a launch names none.
        public var defaultEnvironment = "production"
        /// Readiness deadline when the manifest's `evidence.readyWithinMinutes` is absent.
        public var defaultReadyWithinMinutes = 5
        /// The SSH user CA public key line given to apps with an `ssh` connect action.
        public var sshUserCA: String?
        /// How often the supervisor asks ``BudgetEnforcer`` for instances to stop for an
        /// exhausted budget (a store read; the poll itself runs every ``pollInterval``).
        public var budgetSweepInterval: Duration = .seconds(5)
        /// The usage-unit registry: decides the units an instance is metered in (the
        /// manifest's `billing.usageUnit`, GPU time per model). Without one, the defaults.
        public var usageUnits: UsageUnitRegistry?
        /// This replica's id, the holder named in its instances' leases (``InstanceLease``).
        /// Replicas sharing a database need distinct ids; a restarted replica with the same id
        /// takes its instances back at once instead of after their leases lapse.
        public var replica = ProcessInfo.processInfo.hostName
        /// How long a lease runs unrenewed: a replica that stops renewing loses its instances
        /// to another after this long (PostgreSQL; on SQLite there is one process).
        public var leaseDuration: Duration = .seconds(10)
        /// How often the supervisor renews its leases, acts on stops other replicas asked and
        /// looks for lapsed instances to take over.
        public var leaseRenewInterval: Duration = .seconds(1)
        /// How long a stop of an instance another replica supervises waits (real time) for that
        /// replica to answer `stopping` before the stored row is returned.
        public var stopElsewhereWait: Duration = .seconds(3)

        /// Defaults.
        public init() {}
    }

    let repository: InstanceRepository
    let live: LiveInstances
    let admission: InstanceAdmission
    let supervisor: InstanceSupervisor
    let meter: UsageMeter
    let adapters: [String: any RuntimeAdapter]
    let targets: ConnectTargets
    let clock: any PlatformClock
    /// Policy: quotas, GPU models and the Slurm flag at admission; the SSH flag at connect.
    let policy: any PolicyEvaluator
    /// Every phase change of every instance, for subscribers.
    public let phaseChanges: InstancePhaseChanges
    /// Connect activity per instance (connect writes it, idle stop reads it).
    public let activity: InstanceActivity
    /// The phase-count subscriber run with the supervisor, when the server asked for one.
    let phaseCounter: InstancePhaseCounter?
    /// The subscriber that meters each ended instance's last interval, run with the supervisor.
    let finalMetering: FinalUsageMetering
    /// The projects' persistent volumes (admission resolves a manifest's persistent volumes through it).
    public let volumes: VolumeService
    /// Secret custody: admission checks a launch's `secret://` references, every start
    /// resolves their values (``InstanceSecrets``); `nil`: launches with secrets are refused.
    let secrets: (any SecretCustody)?

    /// Creates the service and its parts.
    /// - Parameters:
    ///   - identity: Authorization only (the manifest's launch scopes); the route resolved the caller and project.
    ///   - policy: The snapshot every admission decides with (quotas, GPU models, the
    ///     `runtime.slurm` flag) and connect's `connect.ssh` flag.
    ///   - usage: Metering: records usage, and is read for this month's GPU-hours at admission.
    ///   - spend: The budgets' position: admission refuses a project whose (or whose tenant's)
    ///     budget is exhausted, and ``BudgetEnforcer`` stops its running instances after the grace.
    ///   - clock: Every timestamp and wait of the instance core.
    ///   - prober: Readiness checks (HTTP in production).
    ///   - onPhaseCounts: Given the live count per phase after every phase change: an
    ///     ``InstancePhaseCounter`` subscribed to ``phaseChanges`` and run by ``run()``.
    ///   - outbox: Writes `instance.ready` and `instance.failed` notices in the phase change's
    ///     transaction (the server's); `nil` writes none (tests of other parts).
    ///   - maintenance: Maintenance windows; a launch during one over `module:apps` or its
    ///     adapter is refused or warned, as the window or the project's policy says.
    ///   - secrets: Secret custody for the manifests' `secrets` (``InstanceSecrets``).
    public init(store: SQLStore, identity: any Authorizer, audit: any TransactionalAuditing, catalog: AppCatalog,
                validator: ManifestValidator, registry: OCIRegistry, ledger: TrustLedger, adapters: [any RuntimeAdapter],
                usage: any UsageRecorder, policy: any PolicyEvaluator, spend: any SpendGuard, settings: Settings = .init(),
                clock: any PlatformClock = SystemClock(),
                prober: any ReadinessProber = HTTPReadinessProber(), logger: Logger,
                onPhaseCounts: (@Sendable ([String: Int]) -> Void)? = nil, outbox: OutboxWriter? = nil,
                maintenance: (any MaintenanceCalendar)? = nil, secrets: (any SecretCustody)? = nil) {
        let byName = Dictionary(adapters.map { ($0.capabilities.name, $0) }) { first, _ in first }
        let repository = InstanceRepository(store: store, audit: audit, outbox: outbox)
        let live = LiveInstances()
        let meter = UsageMeter(usage: usage, intervalMs: settings.meteringIntervalMs)
        let changes = InstancePhaseChanges()
        let activity = InstanceActivity()
        self.repository = repository
        self.live = live
        self.meter = meter
        self.adapters = byName
        self.clock = clock
        self.policy = policy
        self.phaseChanges = changes
        self.activity = activity
        let volumes = VolumeService(store: store, audit: audit, adapters: byName, policy: policy, clock: clock)
        self.volumes = volumes
        self.targets = ConnectTargets(repository: repository, live: live, catalog: catalog)
        self.admission = InstanceAdmission(authorizer: identity, catalog: catalog, validator: validator, registry: registry, ledger: ledger,
                                           adapters: byName, settings: settings, live: live, repository: repository, policy: policy,
                                           usage: usage, spend: spend, clock: clock, maintenance: maintenance, volumes: volumes,
                                           secrets: secrets)
        self.secrets = secrets
        self.phaseCounter = onPhaseCounts.map { InstancePhaseCounter(changes: changes.subscribe(), counts: live.phaseCounts, publish: $0) }
        self.finalMetering = FinalUsageMetering(changes: changes.subscribe(), repository: repository, meter: meter, logger: logger)
        self.supervisor = InstanceSupervisor(repository: repository, live: live, adapters: byName, settings: settings, prober: prober,
                                             meter: meter, changes: changes, activity: activity, clock: clock, logger: logger,
                                             budgets: BudgetEnforcer(spend: spend, policy: policy, logger: logger))
    }

    /// Runs the supervisor and its subscribers (final metering, the phase counter if any) until shutdown.
    public func run() async throws {
        let (phaseCounter, finalMetering) = (self.phaseCounter, self.finalMetering)
        try await withThrowingDiscardingTaskGroup { group in
            if let phaseCounter { group.addTask { try await phaseCounter.run() } }
            group.addTask { try await finalMetering.run() }
            if repository.store.backend == .postgres { group.addTask { await self.hearStopRequests() } }
            await supervisor.setTrustSweep { await self.sweepUntrustedInstances() }
            await supervisor.setSecrets(secrets)
            try await supervisor.run()
            group.cancelAll()
        }
    }

    /// The adapters this server has, by name.
    public var adapterNames: [String] { adapters.keys.sorted() }

    /// Live instances per phase name (every phase present), for the metrics gauge.
    public func phaseCounts() -> [String: Int] { live.phaseCounts() }

    /// Whether the previous process's instances have been re-attached.
    public var isRecovered: Bool { live.isRecovered }

    /// Waits (briefly) until the supervisor has re-attached the instances of the previous
    /// process, so a launch cannot take devices that a recovering instance still holds.
    /// - Throws: ``ErrorCode/runtimeAdapterUnavailable`` after 60 s of the clock.
    public func awaitRecovery() async throws {
        let deadline = clock.nowMilliseconds() + 60_000
        while !live.isRecovered {
            guard clock.nowMilliseconds() < deadline else {
                throw PlatformError(.runtimeAdapterUnavailable, "the instance supervisor is still re-attaching instances; retry shortly")
            }
            try await clock.sleep(for: .milliseconds(20))
        }
    }

    /// Admits and accepts a launch (see ``InstanceAdmission``); the start runs in the supervisor.
    /// - Parameter grants: The request's authorization (the edge's one IAM decision), from which
    ///   the manifest's launch scopes are decided; `nil` asks the authorizer once for all of them.
    public func launch(in project: Project, _ request: LaunchRequest, by caller: Caller, grants: Grants? = nil,
                       requestID: String?) async throws -> InstanceRecord {
        try await awaitRecovery()
        let (row, plan) = try await admission.admit(in: project, request, by: caller, grants: grants, requestID: requestID)
        phaseChanges.publish(InstancePhaseChange(instance: row.id, project: row.projectId, tenant: row.tenantId, from: nil, to: row.phase,
                                                 at: clock.now()))
        supervisor.enqueueBegin(row.id, plan: plan)
        return row.record
    }

    /// A project's instances, newest first (deleted ones are gone): all of them, or at most
    /// `limit` of those older than instance `before` (a previous page's last); with `live`,
    /// only those not yet terminal (`true`) or only terminal ones (`false`).
    /// - Throws: ``ErrorCode/httpParameterInvalid`` when `before` names no instance of the project.
    public func list(in project: Project, limit: Int? = nil, before: String? = nil, live wantLive: Bool? = nil) async throws -> [InstanceRecord] {
        // The store picks by its phase; the supervisor's newer one (a stop landing now) has the last word.
        try await repository.list(project: project.id, limit: limit, before: before, live: wantLive).map { (live.row($0.id) ?? $0).record }
            .filter { record in wantLive.map { record.isTerminal != $0 } ?? true }
    }

    /// One instance.
    /// - Throws: ``ErrorCode/instanceNotFound``.
    public func get(in project: Project, id: String) async throws -> InstanceRecord {
        try await row(in: project, id: id).record
    }

    /// Phase events after `seq`, in order.
    public func events(in project: Project, id: String, after seq: Int) async throws -> [InstanceEvent] {
        try await repository.events(of: try await row(in: project, id: id).id, after: seq)
    }

    /// Log output from `offset`.
    public func logs(in project: Project, id: String, from offset: Int64) async throws -> InstanceLogChunk {
        let row = try await row(in: project, id: id)
        guard let handle = row.handle, let adapter = adapters[row.adapter] else {
            return InstanceLogChunk(text: "", nextOffset: offset, finished: row.isTerminal)
        }
        let chunk = try await adapter.logs(handle, from: offset)
        return InstanceLogChunk(text: String(decoding: chunk.data, as: UTF8.self), nextOffset: chunk.nextOffset, finished: row.isTerminal)
    }

    /// What metering recorded for one instance.
    /// - Throws: ``ErrorCode/instanceNotFound`` for an instance out of the project.
    public func usage(in project: Project, id: String) async throws -> InstanceUsage {
        try await meter.totals(of: try await row(in: project, id: id))
    }

    /// Requests a stop: `stopping` now, `stopped` once the runtime confirms. Stopping a
    /// terminal instance returns it unchanged.
    public func stop(in project: Project, id: String, by caller: Caller, requestID: String?) async throws -> InstanceRecord {
        let row = try await row(in: project, id: id)
        guard !row.isTerminal else { return row.record }
        let asked = try await supervisor.requestStop(row, cause: .requested, message: "stop requested by \(caller.principalName)",
                                                     actor: caller.principalId, requestID: requestID)
        guard !asked.stopRequested, !asked.isTerminal, repository.store.backend == .postgres else { return asked.record }
        return try await awaitStopElsewhere(in: project, id: row.id)
    }

    /// Deletes a terminal instance and every runtime trace (rootfs, logs).
    /// - Throws: ``ErrorCode/instancePhaseConflict`` while it is not terminal.
    public func delete(in project: Project, id: String, by caller: Caller, requestID: String?) async throws {
        let row = try await row(in: project, id: id)
        guard row.isTerminal else {
            throw PlatformError(.instancePhaseConflict, "instance \(row.id) is \(row.phase.name); stop it before deleting it",
                                details: ["phase": row.phase.name])
        }
        if let handle = row.handle, let adapter = adapters[row.adapter] { try await adapter.destroy(handle) }
        try await repository.markDeleted(row, audit: AuditEvent(
            actor: PrincipalID(caller.principalId), action: "apps.instance.delete", target: "instance/\(row.id)", outcome: .success,
            requestID: requestID, details: ["app": row.app], project: row.projectId))
    }

    /// The live copy of an instance of `project`, else the stored one.
    func row(in project: Project, id: String) async throws -> InstanceRow {
        guard let found = try await repository.find(id, project: project.id) else {
            throw PlatformError(.instanceNotFound, "no instance \(id) in project \(project.id)")
        }
        return live.row(found.id) ?? found
    }
}

/// Publishes the live instance count per phase after every phase change (the
/// `platform_instances{phase=…}` gauge): a subscriber of ``InstanceService/phaseChanges``.
public struct InstancePhaseCounter: Service {
    let changes: AsyncStream<InstancePhaseChange>
    let counts: @Sendable () -> [String: Int]
    let publish: @Sendable ([String: Int]) -> Void

    /// Subscribes now, so no change between construction and ``run()`` is missed.
    public init(instances: InstanceService, publish: @escaping @Sendable ([String: Int]) -> Void) {
        self.init(changes: instances.phaseChanges.subscribe(), counts: instances.live.phaseCounts, publish: publish)
    }

    init(changes: AsyncStream<InstancePhaseChange>, counts: @escaping @Sendable () -> [String: Int],
         publish: @escaping @Sendable ([String: Int]) -> Void) {
        self.changes = changes
        self.counts = counts
        self.publish = publish
    }

    /// Publishes the counts once, then after every change until shutdown.
    public func run() async throws {
        publish(counts())
        let (changes, counts, publish) = (changes, counts, publish)
        await cancelWhenGracefulShutdown {
            for await _ in changes { publish(counts()) }
        }
    }
}
