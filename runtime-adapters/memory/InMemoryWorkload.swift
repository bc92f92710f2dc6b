import PlatformContracts
import RuntimeKit

/// One launched workload as the in-memory runtime remembers it: the behaviour it was given,
/// when it was launched and when it was asked to stop. Its state is a pure function of
/// these and the time asked about, so no task ever runs in the background.
struct InMemoryWorkload: Sendable {
    let spec: LaunchSpec
    let behaviour: InMemoryBehaviour
    /// The environment its output expands from.
    let environment: [String: String]
    let devices: [GPUDevice]
    let launchedAt: Int64
    /// When `stop` was first asked, and its grace.
    var stopRequest: (at: Int64, grace: Duration)?
    /// Text written by ``InMemoryRuntime/write(_:to:)``, with the time it was written.
    var written: [(at: Int64, text: String)] = []
    /// An end a test imposed with ``InMemoryRuntime/end(_:as:)``.
    var imposedEnd: (at: Int64, state: RuntimeState)?
    /// The log of the instance's earlier runs (a restart launches it again): this run's follows it.
    var earlierLog = ""
    /// The secret files it was given (`/run/secrets/<name>` → value), as a tmpfs would hold them.
    var secretFiles: [String: [UInt8]] = [:]

    var runningAt: Int64 { launchedAt + behaviour.pending.wholeMilliseconds }

    /// The end that has happened by `now`, the earliest first, or `nil` while it lives.
    func end(at now: Int64) -> (at: Int64, state: RuntimeState)? {
        var candidates: [(at: Int64, state: RuntimeState)] = []
        if let exit = behaviour.exit { candidates.append((runningAt + exit.after.wholeMilliseconds, .exited(code: exit.code))) }
        if let failure = behaviour.failure {
            candidates.append((runningAt + failure.after.wholeMilliseconds, .failed(failure.reason, message: failure.message)))
        }
        if let lost = behaviour.lostAfter { candidates.append((launchedAt + lost.wholeMilliseconds, .gone)) }
        if let imposedEnd { candidates.append(imposedEnd) }
        if let stop = stopRequest {
            if stop.at < runningAt {
                // Stopped before it ran: ended by the TERM it never got to handle.
                candidates.append((stop.at, .exited(code: 143)))
            } else if behaviour.stopDelay <= stop.grace {
                candidates.append((stop.at + behaviour.stopDelay.wholeMilliseconds, .exited(code: behaviour.stopExitCode)))
            } else {
                candidates.append((stop.at + stop.grace.wholeMilliseconds, .exited(code: 137)))
            }
        }
        return candidates.filter { $0.at <= now }.min { $0.at < $1.at }
    }

    /// What an inspect at `now` sees.
    func observation(at now: Int64, node: String) -> RuntimeObservation {
        var seen = RuntimeObservation(state: .pending(reason: behaviour.pendingReason), node: node, host: "127.0.0.1",
                                      gpuIndices: devices.map(\.index))
        if let end = end(at: now) {
            seen.state = end.state
            if runningAt <= end.at { seen.startedAt = Self.timestamp(runningAt) }
            if end.state != .gone { seen.finishedAt = Self.timestamp(end.at) }
        } else if runningAt <= now {
            seen.state = .running
            seen.startedAt = Self.timestamp(runningAt)
        }
        return seen
    }

    /// The log as written by `now`: the start output once running, then written text and
    /// the stop output in time order; nothing after its end.
    func log(at now: Int64) -> String {
        let until = min(now, end(at: now)?.at ?? now)
        var entries: [(at: Int64, order: Int, text: String)] = []
        if runningAt <= until { entries.append((runningAt, 0, expand(behaviour.output))) }
        for (index, entry) in written.enumerated() where entry.at <= until { entries.append((entry.at, 1 + index, entry.text)) }
        if let stop = stopRequest, stop.at >= runningAt, stop.at <= until {
            entries.append((stop.at, Int.max, expand(behaviour.stopOutput)))
        }
        return earlierLog + entries.sorted { ($0.at, $0.order) < ($1.at, $1.order) }.map(\.text).joined()
    }

    /// `${NAME}` replaced by its value in the workload's environment (empty when unset);
    /// `${@}` by the arguments the process got after its command (the spec's `args`), joined by `|`.
    func expand(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstRange(of: "${") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                rest = rest[open.lowerBound...]
                break
            }
            let name = String(rest[open.upperBound..<close])
            result += name == "@" ? spec.args.joined(separator: "|") : secretExpansion(name) ?? environment[name] ?? ""
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    static func timestamp(_ milliseconds: Int64) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: UInt64(max(0, milliseconds)))
    }
}
