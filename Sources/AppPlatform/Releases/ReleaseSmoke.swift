import Foundation
import PlatformContracts

/// The staging smoke launch of a release: launches the app in `staging` through the ordinary
/// admission path (trust, quota, placement and audit as any launch), waits until it is ready
/// or fails, stops it, and attaches the platform-signed `deploy-smoke` statement with its
/// time to ready. The launch, ready and stop are made under the request's id, which becomes
/// the release's correlation id, so the audit log leads from the release to those events.
public struct ReleaseSmoke: Sendable {
    /// The environment every smoke launch runs in.
    public static let environment = "staging"

    let instances: InstanceService
    let catalog: AppCatalog
    let releases: any ReleaseManagement
    /// How often the launch's phase is read while waiting (time to ready is taken from the
    /// instance's own phase events, so the interval does not skew it).
    var pollInterval: Duration = .milliseconds(50)

    /// Creates the orchestration over the instance service and the release contract.
    public init(instances: InstanceService, catalog: AppCatalog, releases: any ReleaseManagement) {
        self.instances = instances
        self.catalog = catalog
        self.releases = releases
    }

    /// Runs the smoke launch of `request.app` for release `id` and attaches its evidence.
    /// - Parameters:
    ///   - grants: The request's grants: the caller must be allowed to launch
    ///     (`apps:instance:launch`), as for any launch.
    ///   - correlationId: The request id: the launch and stop are made under it and it is
    ///     recorded on the release.
    /// - Throws: ``ErrorCode/releaseInvalid`` when the launched image is not one of the
    ///   release's artifacts (the instance is stopped first); any admission refusal as is.
    public func run(release id: String, _ request: ReleaseSmokeRequest, in project: Project, by caller: Caller, grants: Grants?,
                    correlationId: String) async throws -> ReleaseEvidence {
        let release = try await releases.release(id, in: project)
        guard release.state == .candidate else {
            throw PlatformError(.releaseStateInvalid, "release \(id) is \(release.state.rawValue); a smoke launch is for a candidate")
        }
        if let denied = grants?.firstDenied(["apps:instance:launch"]) {
            throw PlatformError(.iamForbidden, "\(denied.reason); a release smoke launches an instance", details: ["scope": denied.scope])
        }
        let readyWithinMs = try await readyWithin(app: request.app, version: request.version, in: project)
        let launched = try await instances.launch(
            in: project, LaunchRequest(app: request.app, version: request.version, environment: Self.environment),
            by: caller, grants: grants, requestID: correlationId)
        let digest = launched.image.split(separator: "@").last.map(String.init) ?? ""
        guard release.artifacts.contains(digest) else {
            _ = try? await instances.stop(in: project, id: launched.id, by: caller, requestID: correlationId)
            throw PlatformError(.releaseInvalid,
                                "\(request.app) launches \(launched.image), which is not an artifact of release \(id) (\(release.artifacts.joined(separator: ", ")))",
                                details: ["image": launched.image])
        }
        let outcome = try await waitUntilReadyOrEnded(launched, in: project, guardMs: Int64(readyWithinMs) + 30_000)
        if !outcome.record.isTerminal {
            _ = try await instances.stop(in: project, id: launched.id, by: caller, requestID: correlationId)
        }
        let predicate: [String: Any] = [
            "environment": Self.environment, "app": launched.app, "version": launched.version, "instance": launched.id,
            "correlationId": correlationId, "timeToReadyMs": outcome.elapsedMs, "readyWithinMs": readyWithinMs,
            "result": outcome.ready ? "ready" : "failed",
        ]
        return try await releases.attachPlatformEvidence(
            type: "deploy-smoke", predicate: try PlatformMadeEvidence.json(predicate), to: id, in: project, by: caller,
            correlationId: correlationId, requestID: correlationId)
    }

    /// The readiness deadline the launch is held to: the manifest's
    /// `evidence.readyWithinMinutes`, else the server's default.
    func readyWithin(app: String, version: String?, in project: Project) async throws -> Int {
        let versions = try await catalog.versions(in: project, name: app)
        let chosen = version.map { wanted in versions.first { $0.version == wanted } } ?? versions.last
        let minutes = chosen.flatMap { try? LaunchManifest.parse($0.manifest) }?.evidence?.readyWithinMinutes
            ?? instances.admission.settings.defaultReadyWithinMinutes
        return minutes * 60_000
    }

    /// Waits until the instance is `ready` or terminal (the supervisor fails it with
    /// `health-timeout` at its deadline; `guardMs` only bounds a wait that would otherwise
    /// hang). The elapsed time runs from acceptance to the `ready` event, or to the last
    /// event when it never became ready.
    func waitUntilReadyOrEnded(_ launched: InstanceRecord, in project: Project, guardMs: Int64) async throws
        -> (record: InstanceRecord, ready: Bool, elapsedMs: Int64)
    {
        let clock = instances.clock
        let deadline = clock.nowMilliseconds() + guardMs
        var record = launched
        while record.phase != .ready, !record.isTerminal, clock.nowMilliseconds() < deadline {
            // Real time, not the instance clock: a phase change does not wait for the clock.
            try await Task.sleep(for: pollInterval)
            record = try await instances.get(in: project, id: launched.id)
        }
        // The record can say `ready` a moment before the `ready` event is readable: the phase is
        // what decides, the event only dates it, so wait (briefly, in real time) for the event.
        var events = try await instances.events(in: project, id: launched.id, after: 0)
        var tries = 0
        while record.phase == .ready, !events.contains(where: { $0.phase == .ready }), tries < 200 {
            try await Task.sleep(for: pollInterval)
            events = try await instances.events(in: project, id: launched.id, after: 0)
            tries += 1
        }
        let start = Timestamp(rfc3339: launched.createdAt)?.millisecondsSinceEpoch ?? 0
        let readyEvent = events.first { $0.phase == .ready }
        let end = (readyEvent ?? events.last).flatMap { Timestamp(rfc3339: $0.at)?.millisecondsSinceEpoch }
            ?? clock.now().millisecondsSinceEpoch
        return (record, record.phase == .ready || readyEvent != nil, max(0, Int64(end) - Int64(start)))
    }
}
