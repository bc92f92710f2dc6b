@testable import AppPlatform
import InMemoryRuntimeAdapter
import PlatformContracts
import PlatformStore
import RuntimeKit
import SQLKit
import Synchronization

/// The audit log as a list: what the instance core audited, in order (the SQL transaction
/// it is handed is not used, so a rolled-back write would still show; the core audits
/// only on commits and refusals).
final class RecordingAudit: TransactionalAuditing {
    let events = Mutex<[AuditEvent]>([])

    @discardableResult
    func append(_ event: AuditEvent, tenant: String?, in db: any SQLDatabase) async throws -> AuditRecord {
        let sequence = events.withLock { events in
            events.append(event)
            return Int64(events.count)
        }
        return AuditRecord(sequence: sequence, id: "A\(sequence)", time: "t", tenant: tenant, project: event.project,
                           actor: event.actor.rawValue, action: event.action, target: event.target, outcome: event.outcome,
                           requestId: event.requestID, details: event.details)
    }

    /// The recorded events with `action`.
    func recorded(_ action: String) -> [AuditEvent] { events.withLock { $0.filter { $0.action == action } } }
}

/// IAM for one project: every registered scope is granted except `denied`.
struct TestAuthorizer: Authorizer {
    let project: Project
    let registered: Set<String>
    let denied: Set<String>

    func authenticate(keyText: String) async throws -> Caller {
        throw PlatformError(.iamKeyInvalid, "the fast tier authenticates nobody")
    }

    func authorize(_ caller: Caller) async throws -> Grants {
        let held = registered.subtracting(denied)
        return Grants(keyScopes: held, heldScopes: held, registeredScopes: registered)
    }

    func project(_ id: String, visibleTo caller: Caller) async throws -> Project {
        // The platform catalog's source project is reachable too (PlatformCatalogTests publish from it).
        if id.lowercased() == FastTier.catalogProject.id.lowercased() { return FastTier.catalogProject }
        guard id.lowercased() == project.id.lowercased() || id == project.name else {
            throw PlatformError(.iamNotFound, "no project \(id)")
        }
        return project
    }
}

/// A signing-key directory with no keys, which a test can make unreadable (``failing``):
/// the trust ledger evaluates every artifact against it.
final class TestSigningKeys: SigningKeyDirectory {
    private let down = Mutex(false)

    var failing: Bool {
        get { down.withLock { $0 } }
        set { down.withLock { $0 = newValue } }
    }

    func keys(project: String, purpose: KeyPurpose) async throws -> [TrustedKey] {
        if failing { throw PlatformError(.storeUnavailable, "the key directory is down") }
        return []
    }

    func keys(in project: Project) async throws -> [TrustedKey] { try await keys(project: project.id, purpose: .artifactSigning) }

    func register(in project: Project, _ request: SigningKeyRequest, by caller: Caller, requestID: String?) async throws -> TrustedKey {
        throw PlatformError(.iamForbidden, "read-only")
    }

    func rotate(in project: Project, id: String, to request: SigningKeyRequest, by caller: Caller, requestID: String?) async throws -> TrustedKey {
        throw PlatformError(.iamForbidden, "read-only")
    }

    func revoke(in project: Project, id: String, by caller: Caller, requestID: String?) async throws -> TrustedKey {
        throw PlatformError(.iamForbidden, "read-only")
    }
}

/// Readiness answers set by the test: not ready until ``ready`` is set.
final class ScriptedProber: ReadinessProber {
    private let answer = Mutex(true)

    var ready: Bool {
        get { answer.withLock { $0 } }
        set { answer.withLock { $0 = newValue } }
    }

    /// Answers for one path (a startup or liveness probe on its own path); other paths answer ``ready``.
    private let byPath = Mutex<[String: Bool]>([:])

    /// Sets (or, with `nil`, clears) the answer of the probes on `path`.
    func answer(_ path: String, _ value: Bool?) { byPath.withLock { $0[path] = value } }

    func isReady(host: String, port: Int, path: String) async -> Bool { byPath.withLock { $0[path] } ?? ready }
}

/// Usage events kept in memory, idempotent by id as the metering log is; a test can make
/// it fail (``failing``) like a metering log that is down.
final class RecordingUsage: UsageRecorder {
    let recorded = Mutex<[UsageEvent]>([])
    private let down = Mutex(false)

    var failing: Bool {
        get { down.withLock { $0 } }
        set { down.withLock { $0 = newValue } }
    }

    /// The ids recorded so far, in order.
    var ids: [String] { recorded.withLock { $0.map(\.id) } }

    func ingest(_ batch: [UsageEvent]) async throws -> UsageIngestReport {
        if failing { throw PlatformError(.storeUnavailable, "the metering log is down") }
        return UsageIngestReport(results: recorded.withLock { events in
            batch.map { event in
                if events.contains(where: { $0.id == event.id }) { return .init(id: event.id, outcome: .duplicate) }
                events.append(event)
                return .init(id: event.id, outcome: .accepted)
            }
        })
    }

    func events(project: String, source: String?, idPrefix: String?) async throws -> [UsageEvent] {
        recorded.withLock { events in
            events.filter { $0.project.rawValue == project && (idPrefix.map($0.id.hasPrefix) ?? true) }
        }
    }
}

/// The twin adapter with test controls on top: a `plan` error (an adapter that is down),
/// starts held until released (to act while a start is in flight), a start error, and a
/// count of starts.
final class ControlledAdapter: RuntimeAdapter {
    private struct Controls {
        var planError: PlatformError?
        var startError: PlatformError?
        var holdStarts = false
        var held: [CheckedContinuation<Void, Never>] = []
        var starts = 0
    }

    let twin: InMemoryRuntimeAdapter
    private let controls = Mutex(Controls())

    init(_ twin: InMemoryRuntimeAdapter) { self.twin = twin }

    var capabilities: RuntimeAdapterCapabilities { twin.capabilities }
    var starts: Int { controls.withLock { $0.starts } }
    var heldStarts: Int { controls.withLock { $0.held.count } }

    func failPlans(with error: PlatformError?) { controls.withLock { $0.planError = error } }
    func failStarts(with error: PlatformError?) { controls.withLock { $0.startError = error } }
    func holdStarts() { controls.withLock { $0.holdStarts = true } }

    /// Lets every held start go on (and later ones run at once).
    func releaseStarts() {
        let held = controls.withLock { controls in
            controls.holdStarts = false
            defer { controls.held = [] }
            return controls.held
        }
        for start in held { start.resume() }
    }

    func validate(_ spec: LaunchSpec) throws(PlatformError) { try twin.validate(spec) }

    func plan(_ spec: LaunchSpec) async throws -> PlacementPlan {
        if let error = controls.withLock({ $0.planError }) { throw error }
        return try await twin.plan(spec)
    }

    func start(_ spec: LaunchSpec, plan: PlacementPlan) async throws -> RuntimeHandle {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let hold = controls.withLock { controls in
                controls.starts += 1
                if controls.holdStarts { controls.held.append(continuation) }
                return controls.holdStarts
            }
            if !hold { continuation.resume() }
        }
        if let error = controls.withLock({ $0.startError }) { throw error }
        return try await twin.start(spec, plan: plan)
    }

    func inspect(_ handle: RuntimeHandle) async throws -> RuntimeObservation { try await twin.inspect(handle) }
    func logs(_ handle: RuntimeHandle, from offset: Int64) async throws -> LogChunk { try await twin.logs(handle, from: offset) }
    func stop(_ handle: RuntimeHandle, grace: Duration) async throws { try await twin.stop(handle, grace: grace) }
    func release(_ handle: RuntimeHandle) async throws { try await twin.release(handle) }
    func destroy(_ handle: RuntimeHandle) async throws { try await twin.destroy(handle) }
    func recover(_ handle: RuntimeHandle) async throws -> RuntimeHandle { try await twin.recover(handle) }
}
