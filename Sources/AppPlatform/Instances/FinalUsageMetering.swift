import Logging
import PlatformContracts
import ServiceLifecycle

/// Meters the last interval of every instance that ended: a subscriber of
/// ``InstanceService/phaseChanges`` beside connect and the metrics gauge.
///
/// The supervisor persists an instance's end time before it writes the terminal phase, and
/// every usage key derives from persisted times only, so metering after the terminal phase
/// loses nothing: a change heard twice records the same events again (no-ops), and on
/// start-up every terminal instance whose `metered_through` stops short of its end is metered
/// first, which covers a crash (or a failing metering log) between the terminal phase and
/// its final usage. Intervals of running instances stay with the supervisor's poll.
struct FinalUsageMetering: Service {
    let changes: AsyncStream<InstancePhaseChange>
    let repository: InstanceRepository
    let meter: UsageMeter
    let logger: Logger

    /// Meters what a previous run left behind, then every terminal change until shutdown.
    func run() async throws {
        await catchUp()
        let changes = changes
        await cancelWhenGracefulShutdown {
            for await change in changes where change.to.isTerminal {
                await meterFinal(change.instance)
            }
        }
    }

    /// Meters every terminal instance whose recorded usage is behind its persisted end.
    func catchUp() async {
        do {
            for row in try await repository.terminalBehindOnMetering(intervalMs: meter.intervalMs) { await meterFinal(row) }
        } catch {
            logger.error("cannot list instances with unmetered usage", metadata: ["error": "\(error)"])
        }
    }

    func meterFinal(_ id: String) async {
        do {
            guard let row = try await repository.find(id) else { return }
            await meterFinal(row)
        } catch {
            logger.error("final usage not recorded; the next start-up records it", metadata: ["instance": "\(id)", "error": "\(error)"])
        }
    }

    /// Records the intervals from `metered_through` to the persisted end, the partial last one
    /// included, and raises `metered_through`.
    func meterFinal(_ row: InstanceRow) async {
        guard let end = row.finishedAtMs else { return }
        do {
            guard let upTo = try await meter.meter(row, through: end, final: true, alreadyThrough: row.meteredThrough) else { return }
            try await repository.advanceMetered(row.id, through: upTo)
        } catch {
            logger.error("final usage not recorded; the next start-up records it", metadata: ["instance": "\(row.id)", "error": "\(error)"])
        }
    }
}
