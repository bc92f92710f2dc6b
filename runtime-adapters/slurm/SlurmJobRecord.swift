import Foundation
import PlatformContracts
import RuntimeKit

/// One job as `scontrol show job -d -o ID` prints it: `Key=Value` words on one line. The
/// `--json` output changes shape between Slurm releases; these keys have not since 2.x.
struct SlurmJobRecord: Hashable {
    let fields: [String: String]
    let gpuIndices: [Int]?

    init?(scontrolLine line: String) {
        var fields: [String: String] = [:]
        for word in line.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            guard let equals = word.firstIndex(of: "=") else { continue }
            let key = String(word[..<equals])
            if fields[key] == nil { fields[key] = String(word[word.index(after: equals)...]) }
        }
        guard fields["JobId"] != nil, fields["JobState"] != nil else { return nil }
        self.fields = fields
        // `-d` adds `GRES=gpu:h100:2(IDX:0-1)` (22.05) or `GRES=gpu:h100(IDX:0,2)`.
        if let range = line.range(of: #"IDX:[0-9,\-]+"#, options: .regularExpression) {
            self.gpuIndices = Self.expand(String(line[range].dropFirst(4)))
        } else {
            self.gpuIndices = nil
        }
    }

    var state: String { fields["JobState"] ?? "UNKNOWN" }
    var reason: String? { fields["Reason"].flatMap { $0 == "None" ? nil : $0 } }
    var node: String? { fields["NodeList"].flatMap { $0 == "(null)" || $0.isEmpty ? nil : $0 } }

    /// `ExitCode=status:signal` as one status (128 + signal when a signal ended it).
    var exitCode: Int32 {
        let parts = (fields["ExitCode"] ?? "0:0").split(separator: ":").compactMap { Int32($0) }
        if parts.count == 2, parts[1] != 0 { return 128 + parts[1] }
        return parts.first ?? 0
    }

    var startedAt: Timestamp? { Self.time(fields["StartTime"]) }
    var finishedAt: Timestamp? { Self.time(fields["EndTime"]) }

    /// The runtime state this Slurm state means. Each way of failing keeps its own reason.
    var runtimeState: RuntimeState {
        switch state {
        case "PENDING", "CONFIGURING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESV_DEL_HOLD", "SUSPENDED", "RESIZING", "STAGE_OUT":
            .pending(reason: reason)
        case "RUNNING", "COMPLETING", "SIGNALING":
            .running
        case "COMPLETED", "FAILED", "SPECIAL_EXIT":
            .exited(code: exitCode)
        case "OUT_OF_MEMORY":
            .failed(.oom, message: "Slurm killed the job for exceeding its memory (OUT_OF_MEMORY)")
        case "TIMEOUT", "DEADLINE":
            .failed(.timeout, message: "the job reached its time limit (\(state))")
        case "NODE_FAIL", "BOOT_FAIL":
            .failed(.nodeLost, message: "node \(node ?? "?") failed (\(state))")
        case "PREEMPTED":
            .failed(.preempted, message: "a higher-priority job preempted it")
        case "CANCELLED":
            .failed(.cancelled, message: "the job was cancelled in Slurm\(reason.map { " (\($0))" } ?? "")")
        default:
            .failed(.lost, message: "Slurm reports an unknown job state \(state)")
        }
    }

    static func expand(_ list: String) -> [Int] {
        list.split(separator: ",").flatMap { part -> [Int] in
            let bounds = part.split(separator: "-").compactMap { Int($0) }
            if bounds.count == 2, bounds[0] <= bounds[1] { return Array(bounds[0]...bounds[1]) }
            return bounds.prefix(1).map { $0 }
        }
    }

    /// Slurm prints local time without a zone (`2026-11-29T14:03:07`); `Unknown`/`None` mean not yet.
    static func time(_ text: String?) -> Timestamp? {
        guard let text, text.count == 19 else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone.current
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        guard let date = formatter.date(from: text) else { return nil }
        return Timestamp(millisecondsSinceEpoch: UInt64(max(0, date.timeIntervalSince1970 * 1000)))
    }
}
