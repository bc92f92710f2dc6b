import Foundation
import Synchronization

/// A one-line progress bar on standard error: bytes done, total and rate, redrawn at most
/// ten times a second. Silent when the output is JSON/YAML (`enabled: false`).
final class TransferProgress: Sendable {
    private struct State {
        var done: Int64 = 0
        var lastDraw = Date.distantPast
    }

    let label: String
    let total: Int64
    let enabled: Bool
    let started = Date()
    private let state = Mutex(State())
    private let write: @Sendable (String) -> Void

    init(label: String, total: Int64, enabled: Bool, write: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.total = total
        self.enabled = enabled
        self.write = write
    }

    /// Adds transferred bytes.
    func advance(_ bytes: Int64) {
        let line: String? = state.withLock { state in
            state.done += bytes
            let now = Date()
            guard enabled, now.timeIntervalSince(state.lastDraw) >= 0.1 || state.done >= total else { return nil }
            state.lastDraw = now
            return render(state.done, now)
        }
        if let line { write(line) }
    }

    /// Bytes per second so far.
    var rate: Double {
        let done = state.withLock { $0.done }
        return Double(done) / max(Date().timeIntervalSince(started), 0.001)
    }

    private func render(_ done: Int64, _ now: Date) -> String {
        let fraction = total > 0 ? min(Double(done) / Double(total), 1) : 1
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let rate = Double(done) / max(now.timeIntervalSince(started), 0.001)
        return "\r\(label) [\(bar)] \(Self.size(done))/\(Self.size(total)) \(Self.size(Int64(rate)))/s\(done >= total ? "\n" : "")"
    }

    static func size(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}
