@testable import AppPlatform
import Foundation
import InMemoryRuntimeAdapter
import PlatformContracts
import PlatformStore
import PlatformTestKit
import RuntimeKit
import SQLKit
import Testing

/// Two replicas of the instance core on one PostgreSQL database: replica A is the tier's own
/// service (`a`), replica B a second ``InstanceService`` (`b`) with its own connection pool
/// and memory over the same runtime and clock. They share nothing but the database: leases
/// (``InstanceLease``) decide which one supervises each instance, stops asked of the other
/// travel through the row and `NOTIFY platform_instances`.
@Suite("Instances across replicas", .tags(.integration))
struct InstanceReplicaTests {
    @Test("launched on A, stopped on B: A acts on the stop B kept for it, audited once with B's caller",
          .enabled(if: PostgresServer.isEnabled))
    func stopAskedOnTheOtherReplica() async throws {
        try await Self.pair { tier, replicaB in
            let record = try await Self.launchReady(tier)
            #expect(replicaB.live.row(record.id) == nil, "B does not supervise what A launched")
            try await waitUntil("B reads it ready from the table") { try await replicaB.get(in: FastTier.project, id: record.id).phase == .ready }

            let answered = try await replicaB.stop(in: FastTier.project, id: record.id, by: FastTier.caller, requestID: "req-on-b")
            #expect(answered.phase == .stopping, "A heard B's stop and wrote stopping before B answered")
            try await waitUntil("A's stop reached the runtime") { tier.runtime.observation(of: record.id).state.isTerminal }
            try await tier.advance(by: .seconds(1))
            try await tier.waitFor(record.id, .stopped)
            #expect(replicaB.live.row(record.id) == nil)
            let stops = tier.audit.recorded("apps.instance.stop").filter { $0.target == "instance/\(record.id)" }
            #expect(stops.count == 1)
            #expect(stops.first?.actor == PrincipalID(FastTier.caller.principalId))
            #expect(stops.first?.requestID == "req-on-b")
            // A second stop asked anywhere changes nothing.
            #expect(try await replicaB.stop(in: FastTier.project, id: record.id, by: FastTier.caller, requestID: nil).phase == .stopped)
        }
    }

    @Test("A stalls mid-launch past its lease (its start held in the adapter, its clock standing still): B takes the instance over and fails it with the reason; when A's start returns, the fence refuses its write and A stops the workload it started",
          .enabled(if: PostgresServer.isEnabled))
    func replicaStalledMidLaunch() async throws {
        let clockB = ManualClock(start: Timestamp(millisecondsSinceEpoch: 1_800_000_000_000))
        try await Self.pair(clockB: clockB) { tier, replicaB in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            tier.adapter.holdStarts()
            let record = try await tier.launch("web")
            try await waitUntil("A's start is in flight") { tier.adapter.heldStarts == 1 }

            // Only B's time moves: A's lease (3 s) lapses without A noticing; B's next look
            // claims the instance. It has no workload handle, so it cannot be re-attached and
            // ends failed(lost), saying why.
            try await Self.advanceUntil(clockB, sleepers: 1) { try await replicaB.get(in: FastTier.project, id: record.id).phase.isTerminal }
            let ended = try await replicaB.get(in: FastTier.project, id: record.id)
            #expect(ended.phase == .failed(.lost))
            #expect(ended.message == "replica a stopped renewing its lease before the workload was started")
            #expect(try await replicaB.events(in: FastTier.project, id: record.id, after: 0).map(\.phase)
                == [.accepted, .scheduled, .starting, .failed(.lost)])
            #expect(tier.audit.recorded("apps.instance.fail").contains { $0.target == "instance/\(record.id)" })

            // A's start returns: its write is refused by the fence, and it stops the workload
            // it started instead of leaving it running unsupervised.
            tier.adapter.releaseStarts()
            try await waitUntil("A let go of its start") { await tier.service.supervisor.inFlight.isEmpty }
            #expect(tier.adapter.starts == 1)
            #expect(tier.runtime.instanceIds.contains(record.id), "A's start did reach the runtime")
            #expect(tier.runtime.observation(of: record.id).state.isTerminal, "the workload A started late was stopped")
            #expect(tier.service.live.row(record.id) == nil, "A forgot it")
            #expect(try await replicaB.events(in: FastTier.project, id: record.id, after: 0).count == 4, "A wrote nothing after losing it")
        }
    }

    @Test("a running instance outlives its replica: B re-attaches it, A restarted with the same id takes nothing back, a stop asked on A reaches B",
          .enabled(if: PostgresServer.isEnabled))
    func runningInstanceTakenOver() async throws {
        try await Self.pair { tier, replicaB in
            let record = try await Self.launchReady(tier)
            await tier.kill()
            try await Self.advanceUntil(tier, sleepers: 1) { replicaB.live.row(record.id) != nil }
            #expect(replicaB.live.row(record.id)?.phase == .ready)
            #expect(replicaB.live.row(record.id)?.lease?.holder == "b")
            #expect(replicaB.live.row(record.id)?.lease?.fence == 2, "admission's claim was 1; the takeover raised it")
            #expect(tier.runtime.observation(of: record.id).state == .running, "the workload ran on through the takeover")

            try await tier.restart()
            #expect(tier.service.live.row(record.id) == nil, "B holds a live lease on it")
            try await waitUntil("A listens for stops") { tier.service.live.isHearingStops }
            let answered = try await tier.service.stop(in: FastTier.project, id: record.id, by: FastTier.caller, requestID: nil)
            #expect(answered.phase == .stopping)
            try await waitUntil("B's stop reached the runtime") { tier.runtime.observation(of: record.id).state.isTerminal }
            try await Self.advanceUntil(tier, sleepers: 2) { try await replicaB.get(in: FastTier.project, id: record.id).phase == .stopped }
        }
    }

    @Test("the fence: once another replica claims an instance, the old holder's writes are refused and its next renewal lets go of it",
          .enabled(if: PostgresServer.isEnabled))
    func fencedOldHolder() async throws {
        try await Self.pair { tier, replicaB in
            let record = try await Self.launchReady(tier)
            let heldByA = try #require(tier.service.live.row(record.id))
            let now = tier.clock.nowMilliseconds()
            let claimed = try await replicaB.repository.claim(heldByA, for: "b", nowMs: now, untilMs: now + 60_000, unconditionally: true)
            #expect(claimed?.lease == InstanceLease(holder: "b", fence: 2))

            await #expect(throws: InstanceLeaseLost.self) { try await tier.service.repository.save(heldByA) }
            try await Self.advanceUntil(tier, sleepers: 2) { tier.service.live.row(record.id) == nil }  // A's renewal let go
            #expect(tier.runtime.observation(of: record.id).state == .running, "letting go leaves the workload alone")
            #expect(try await Self.ports(tier).values.contains(record.id), "its port stays held in the table")
        }
    }

    @Test("ports live instances hold are in the table, whichever replica admitted them, and are freed when they end",
          .enabled(if: PostgresServer.isEnabled))
    func portsAreHeldInTheTable() async throws {
        try await Self.pair { tier, replicaB in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            let onA = try await tier.launch("web")
            let onB = try await replicaB.launch(in: FastTier.project, LaunchRequest(app: "web"), by: FastTier.caller, requestID: nil)
            let held = try await Self.ports(tier)
            for record in [onA, onB] {
                #expect(!record.endpoints.isEmpty)
                for endpoint in record.endpoints { #expect(held[endpoint.port] == record.id) }
            }
            #expect(try await tier.service.repository.portsTaken(onB.endpoints.map(\.port)) == Set(onB.endpoints.map(\.port)))
            try await tier.waitFor(onA.id, .ready)
            try await tier.stop(onA.id)
            try await tier.advance(by: .seconds(1))
            try await tier.waitFor(onA.id, .stopped)
            #expect(try await Self.ports(tier).values.contains(onA.id) == false)
        }
    }

    @Test("GPUs: each replica has its own inventory, yet one device is never handed out twice; an instance that finds its GPU held elsewhere fails placement, and a device freed on one replica is used by the other",
          .enabled(if: PostgresServer.isEnabled))
    func gpuDevicesAreClaimedAcrossReplicas() async throws {
        try await Self.pair { tier, replicaB in
            try await tier.register(TestManifests.app("trainer", gpus: 1))
            try await tier.pushArtifact()
            let onA = try await tier.launch("trainer", gpus: "1")
            try await tier.waitFor(onA.id, .ready)
            let onB = try await replicaB.launch(in: FastTier.project, LaunchRequest(app: "trainer", gpus: "1"), by: FastTier.caller, requestID: nil)
            try await waitUntil("B's instance is ready") { try await replicaB.get(in: FastTier.project, id: onB.id).phase == .ready }
            let gpuA = try await tier.record(onA.id).gpus
            let gpuB = try await replicaB.get(in: FastTier.project, id: onB.id).gpus
            #expect(gpuA.count == 1 && gpuB.count == 1 && gpuA != gpuB, "A got \(gpuA), B got \(gpuB)")

            // A's inventory believes the device B holds is free; the claim says otherwise.
            let third = try await tier.launch("trainer", gpus: "1")
            try await waitUntil("the third ends") { try await tier.record(third.id).phase.isTerminal }
            let refused = try await tier.record(third.id)
            #expect(refused.phase == .failed(.placement), "\(refused)")
            #expect((refused.message ?? "").contains("in use"), "\(refused.message ?? "")")

            // Stopped on A, its device is free for B (the terminal phase released the claim).
            try await tier.stop(onA.id)
            try await tier.advance(by: .seconds(1))
            try await tier.waitFor(onA.id, .stopped)
            let next = try await replicaB.launch(in: FastTier.project, LaunchRequest(app: "trainer", gpus: "1"), by: FastTier.caller, requestID: nil)
            try await waitUntil("B's second instance is ready") { try await replicaB.get(in: FastTier.project, id: next.id).phase == .ready }
            #expect(try await replicaB.get(in: FastTier.project, id: next.id).gpus == gpuA)
        }
    }

    @Test("idle stop counts connect traffic that passed through the other replica: A keeps an idle-stop app running while B proxies to it, and stops it a minute after the traffic ends",
          .enabled(if: PostgresServer.isEnabled))
    func idleStopCountsTrafficOnTheOtherReplica() async throws {
        try await Self.pair { tier, replicaB in
            try await tier.register(TestManifests.app("idler", idleStopMinutes: 1))
            try await tier.pushArtifact()
            let record = try await tier.launch("idler")
            try await tier.waitFor(record.id, .ready)
            // Two minutes with traffic through B every 20 s: A never sees any itself.
            for _ in 0..<6 {
                replicaB.activity.note(record.id, atMs: tier.clock.nowMilliseconds())
                try await Self.advance(tier, by: .seconds(20), sleepers: 2)
            }
            #expect(tier.service.activity.last(record.id).map { $0 > 0 } == true, "A read B's recorded activity")
            #expect(try await replicaB.get(in: FastTier.project, id: record.id).phase == .ready, "not idle: B proxied to it")
            // The traffic ends: a minute later A stops it as idle.
            try await Self.advanceUntil(tier, sleepers: 2) { [.stopping, .stopped].contains(try await replicaB.get(in: FastTier.project, id: record.id).phase) }
            #expect(tier.audit.recorded("apps.instance.stop").contains { $0.target == "instance/\(record.id)" && $0.details["stop_cause"] == "idle" })
        }
    }

    // MARK: Helpers

    /// The tier as replica `a` (3 s leases) and replica `b` running beside it.
    /// - Parameter clockB: B's own clock (A's stands still while the test moves it); `nil`: they share the tier's.
    static func pair(clockB: ManualClock? = nil, _ body: (FastTier, InstanceService) async throws -> Void) async throws {
        var settings = FastTier.defaultSettings
        settings.replica = "a"
        settings.leaseDuration = .seconds(3)
        try await FastTier.with(settings: settings, database: .postgres) { tier in
            let storeB = try await SQLStore.open(tier.store.location, maxConnections: 4, logger: tier.logger)
            let (replicaB, _) = tier.makeReplica("b", store: storeB, clock: clockB)
            let running = Task { try await replicaB.run() }
            do {
                try await waitUntil("B recovered and listens") { replicaB.isRecovered && replicaB.live.isHearingStops }
                try await waitUntil("A listens") { tier.service.live.isHearingStops }
                try await body(tier, replicaB)
            } catch {
                running.cancel()
                _ = await running.result
                await storeB.shutdown()
                throw error
            }
            running.cancel()
            _ = await running.result
            await storeB.shutdown()
        }
    }

    static func launchReady(_ tier: FastTier) async throws -> InstanceRecord {
        try await tier.register(TestManifests.app("web"))
        try await tier.pushArtifact()
        let record = try await tier.launch("web")
        try await tier.waitFor(record.id, .ready)
        return record
    }

    /// Moves the shared clock a poll interval at a time until `condition` holds, each step
    /// only once the `sleepers` running replicas' loops are asleep on it again (so the clock
    /// never runs ahead of a replica's look, as no real clock would).
    static func advanceUntil(_ tier: FastTier, sleepers: Int, sourceLocation: SourceLocation = #_sourceLocation,
                             _ condition: @escaping () async throws -> Bool) async throws {
        try await advanceUntil(tier.clock, sleepers: sleepers, step: tier.settings.pollInterval, sourceLocation: sourceLocation, condition)
    }

    static func advanceUntil(_ clock: ManualClock, sleepers: Int, step: Duration = FastTier.defaultSettings.pollInterval,
                             sourceLocation: SourceLocation = #_sourceLocation, _ condition: @escaping () async throws -> Bool) async throws {
        try await waitUntil("the condition holds as the clock moves", sourceLocation: sourceLocation) {
            if try await condition() { return true }
            try await waitUntil("the replicas' loops sleep", sourceLocation: sourceLocation) { clock.sleeperCount >= sleepers }
            await clock.advance(by: step)
            return false
        }
    }

    /// Moves the shared clock by `duration`, a poll interval at a time, each step once the
    /// replicas' loops sleep again.
    static func advance(_ tier: FastTier, by duration: Duration, sleepers: Int) async throws {
        var left = duration
        while left > .zero {
            try await waitUntil("the replicas' loops sleep") { tier.clock.sleeperCount >= sleepers }
            await tier.clock.advance(by: tier.settings.pollInterval)
            left -= tier.settings.pollInterval
        }
    }

    /// `apps_instance_ports`: port → instance.
    static func ports(_ tier: FastTier) async throws -> [Int: String] {
        try await tier.store.read { db in
            Dictionary(uniqueKeysWithValues: try await db.select().columns("port", "instance_id").from("apps_instance_ports").all().map {
                (try $0.decode(column: "port", as: Int.self), try $0.decode(column: "instance_id", as: String.self))
            })
        }
    }
}
