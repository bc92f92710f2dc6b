import PlatformContracts
import PlatformStore

/// Stops of instances another replica supervises (see ``InstanceSupervisor``'s leases).
extension InstanceService {
    /// Waits (real time: the answer comes from another process) up to
    /// ``Settings/stopElsewhereWait`` for the replica supervising `id` to record the stop, and
    /// returns the stored instance: `stopping` once it has, else as it is, the stop still kept
    /// on the row for that replica, or for whichever takes the instance over.
    func awaitStopElsewhere(in project: Project, id: String) async throws -> InstanceRecord {
        let deadline = ContinuousClock.now + supervisor.settings.stopElsewhereWait
        while true {
            guard let stored = try await repository.find(id, project: project.id) else {
                throw PlatformError(.instanceNotFound, "no instance \(id) in project \(project.id)")
            }
            let row = live.row(stored.id) ?? stored
            if row.stopRequested || row.isTerminal || ContinuousClock.now >= deadline { return row.record }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Listens on ``StoreChannel/instances`` until cancelled: a stop asked on another replica of
    /// an instance supervised here is acted on at once (the lease renewal catches what is lost).
    func hearStopRequests() async {
        let (events, continuation) = AsyncStream.makeStream(of: StoreChannelEvent.self)
        await withDiscardingTaskGroup { group in
            group.addTask { [repository, supervisor] in
                await repository.store.listen(.instances, logger: supervisor.logger) { continuation.yield($0) }
                continuation.finish()
            }
            for await event in events {
                switch event {
                case .listening: live.setHearingStops(true)
                case .lost: live.setHearingStops(false)
                case .notified(let payload):
                    guard payload.hasPrefix("stop:") else { continue }
                    await supervisor.actOnStopRequest(of: String(payload.dropFirst("stop:".count)))
                }
            }
        }
    }
}
