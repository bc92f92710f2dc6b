import Logging
import PlatformContracts
import PlatformStore
import RuntimeKit

/// Replicas: each instance is supervised by the one replica holding its lease
/// (``InstanceLease``). The holder renews its leases every
/// ``InstanceService/Settings/leaseRenewInterval``; a replica that stops renewing (killed,
/// partitioned, stalled) loses its instances once ``InstanceService/Settings/leaseDuration``
/// has passed, and the first replica to look claims them (raising the fence, so the old
/// holder's writes are refused) and re-attaches them as a restarted server would.
///
/// On SQLite there is one process per database: it claims every instance at start and
/// neither renews nor takes over.
extension InstanceSupervisor {
    var replica: String { settings.replica }
    private var usesLeases: Bool { repository.store.backend == .postgres }

    /// Claims the instances this replica may supervise and re-attaches each: at start those
    /// it held before (a restart) and every lapsed one; later only lapsed ones.
    func claimAndAdopt(atStart: Bool) async {
        let nowMs = clock.nowMilliseconds()
        let untilMs = nowMs + settings.leaseDuration.wholeMilliseconds
        let rows: [InstanceRow]
        do {
            rows = usesLeases ? try await repository.claimable(by: replica, nowMs: nowMs, includingOwn: atStart)
                : try await repository.nonTerminal()  // SQLite: one process per database, every instance is this one's
        } catch {
            logger.error("cannot load instances to re-attach", metadata: ["error": "\(error)"])
            return
        }
        for row in rows where live.row(row.id) == nil && !inFlight.contains(row.id) {
            guard adapters[row.adapter] != nil || row.handle == nil else {
                // Another replica may have its adapter; say so once, at start. (One without a
                // workload handle is failed whatever its adapter: there is nothing to address.)
                if atStart {
                    logger.error("instance's adapter is not configured; leaving it as is",
                                 metadata: ["instance": "\(row.id)", "adapter": "\(row.adapter)"])
                }
                continue
            }
            let previous = row.lease?.holder
            let claimed: InstanceRow?
            do {
                claimed = try await repository.claim(row, for: replica, nowMs: nowMs, untilMs: untilMs, unconditionally: !usesLeases)
            } catch {
                logger.warning("cannot claim instance", metadata: ["instance": "\(row.id)", "error": "\(error)"])
                continue
            }
            guard let claimed else { continue }  // another replica got there first
            if let previous, previous != replica {
                logger.notice("taking over instance from a replica whose lease lapsed",
                              metadata: ["instance": "\(row.id)", "from": "\(previous)", "fence": "\(claimed.lease?.fence ?? 0)"])
            }
            await adopt(claimed, from: previous == replica ? nil : previous)
        }
    }

    /// Re-attaches one claimed instance through its adapter, as ``claimAndAdopt(atStart:)`` found it.
    /// - Parameter previous: The replica it is taken over from (`nil`: this one's own, after a restart).
    private func adopt(_ claimed: InstanceRow, from previous: String?) async {
        var row = claimed
        dropped.remove(row.id)
        try? await repository.holdPorts(of: row)
        live.holdPorts(row.endpoints.values)
        live.put(row)
        // Read once it is live here: a stop asked from now on is heard (NOTIFY) or renewed.
        let pendingStop = try? await repository.stopRequest(of: row.id)
        changes.publish(InstancePhaseChange(instance: row.id, project: row.projectId, tenant: row.tenantId, from: nil, to: row.phase,
                                            at: clock.now()))
        let who = previous.map { "replica \($0) stopped renewing its lease" } ?? "platformd restarted"
        guard let handle = row.handle, let adapter = adapters[row.adapter] else {
            // Gone between admission and the adapter's answer: nothing we can address.
            let abandoned = row.stopRequested || pendingStop != nil
            _ = try? await transition(row, on: abandoned ? .startAbandoned : .workloadLost,
                                      message: "\(who) before the workload was started", audit: "apps.instance.fail")
            live.freePorts(row.endpoints.values)
            return
        }
        do {
            row.handle = try await adapter.recover(handle)
            try await save(row)
            logger.notice("instance re-attached", metadata: ["instance": "\(row.id)", "phase": "\(row.phase.name)"])
        } catch is InstanceLeaseLost {
            return
        } catch {
            // It may still be running on devices we cannot vouch for: stop it rather than lose track.
            try? await adapter.stop(handle, grace: settings.stopGrace)
            try? await adapter.release(handle)
            _ = try? await transition(row, on: .workloadLost, message: "could not re-attach after \(who): \(error)", audit: "apps.instance.fail")
            live.freePorts(row.endpoints.values)
            return
        }
        if let pendingStop { await act(on: pendingStop, for: row.id) }
    }

    /// Once per ``InstanceService/Settings/leaseRenewInterval`` of the clock (from the poll):
    /// renews this replica's leases, lets go of those another replica claimed, acts on the stops
    /// other replicas asked, and takes over lapsed instances.
    func maintainLeases() async {
        guard usesLeases else { return }
        let nowMs = clock.nowMilliseconds()
        if let last = lastLeaseRenewalMs, nowMs >= last, nowMs - last < settings.leaseRenewInterval.wholeMilliseconds { return }
        lastLeaseRenewalMs = nowMs
        let held = live.all().filter { $0.lease?.holder == replica }
        do {
            let renewed = try await repository.renew(held.map(\.id), holder: replica,
                                                     untilMs: nowMs + settings.leaseDuration.wholeMilliseconds)
            for row in held {
                guard let lease = renewed[row.id], lease.fence == row.lease?.fence else {
                    drop(row, lost: InstanceLeaseLost(instance: row.id, holder: nil))
                    continue
                }
                if let request = lease.stopRequest { await act(on: request, for: row.id) }
            }
        } catch {
            logger.warning("cannot renew instance leases; the next poll retries", metadata: ["error": "\(error)"])
        }
        await claimAndAdopt(atStart: false)
        await flushActivity()
        do { try await repository.releaseClaimsOfEndedInstances() } catch {
            logger.warning("cannot sweep the GPU claims of ended instances", metadata: ["error": "\(error)"])
        }
    }

    /// Writes the connect activity this replica noted since the last flush to the rows, so
    /// the replica supervising an instance sees traffic that passed through this one (its idle
    /// stop reads them). Once per renewal: idle stops count minutes.
    private func flushActivity() async {
        let unflushed = activity.takeUnflushed()
        do { try await repository.recordActivity(unflushed) } catch {
            activity.restore(unflushed)
            logger.warning("cannot record connect activity; the next renewal retries", metadata: ["error": "\(error)"])
        }
    }

    /// A stop another replica asked (``InstanceStopRequest``), if the instance is held here and
    /// not already stopping.
    func actOnStopRequest(of id: String) async {
        guard let row = live.row(id), !row.stopRequested, !row.isTerminal,
              let request = try? await repository.stopRequest(of: id) else { return }
        await act(on: request, for: id)
    }

    private func act(on request: InstanceStopRequest, for id: String) async {
        guard let row = live.row(id), !row.stopRequested, !row.isTerminal else { return }
        do {
            _ = try await requestStop(row, cause: request.cause, message: request.message, actor: request.actor,
                                      requestID: request.requestID, auditDetails: request.details)
        } catch {
            logger.warning("cannot act on a stop asked on another replica; the next renewal retries",
                           metadata: ["instance": "\(id)", "error": "\(error)"])
        }
    }

    /// Forgets an instance another replica now supervises, leaving its workload and devices alone.
    func drop(_ row: InstanceRow, lost: InstanceLeaseLost) {
        logger.warning("lease lost; another replica supervises the instance now", metadata: ["instance": "\(row.id)", "error": "\(lost)"])
        dropped.insert(row.id)
        live.remove(row.id)
        live.freePorts(row.endpoints.values)
        stops.forget(row.id)
        forgetProbes(of: row.id)
        activity.forget(row.id)
    }
}
