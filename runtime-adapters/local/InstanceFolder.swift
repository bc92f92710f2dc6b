import Foundation
import PlatformContracts
#if canImport(Glibc)
import Glibc
#endif

/// One instance's folder under the adapter root: `bundle/config.json` (its root is the
/// shared read-only image), `network.json` (its ``InstanceNetwork`` slot; absent for
/// instances started on the host network by servers before handle version 2),
/// `output.log`, and the shim's `shim.pid`, `started` and `exit` records.
struct InstanceFolder {
    let url: URL
    let containerId: String

    init(url: URL, containerId: String) {
        self.url = url
        self.containerId = containerId
    }

    init(root: URL, instanceId: String) {
        self.init(url: root.appendingPathComponent(instanceId), containerId: "platform-" + instanceId.lowercased())
    }

    var bundle: URL { url.appendingPathComponent("bundle") }
    var log: URL { url.appendingPathComponent("output.log") }
    var networkRecord: URL { url.appendingPathComponent("network.json") }

    /// The instance's private network, as recorded at start.
    var network: InstanceNetwork? {
        FileManager.default.contents(atPath: networkRecord.path).flatMap { try? JSONDecoder().decode(InstanceNetwork.self, from: $0) }
    }

    /// The exit status the shim recorded, and when (the file's modification time).
    var exitRecord: (code: Int32, at: Timestamp)? {
        let path = url.appendingPathComponent("exit").path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), let code = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else { return nil }
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let millis = UInt64(info.st_mtim.tv_sec) * 1000 + UInt64(info.st_mtim.tv_nsec / 1_000_000)
        return (code, Timestamp(millisecondsSinceEpoch: millis))
    }

    /// When the shim started the runtime.
    var startedAt: Timestamp? {
        guard let text = try? String(contentsOfFile: url.appendingPathComponent("started").path, encoding: .utf8),
              let millis = UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else { return nil }
        return Timestamp(millisecondsSinceEpoch: millis)
    }

    /// Whether the shim recorded in `shim.pid` is still alive (and is ours: its command line names this folder).
    var shimAlive: Bool {
        guard let text = try? String(contentsOfFile: url.appendingPathComponent("shim.pid").path, encoding: .utf8),
              let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)),
              let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
        else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        if let close = stat.lastIndex(of: ")"), stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z") { return false }
        return String(decoding: cmdline.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(url.path)
    }

    /// Seconds since the folder was created.
    var age: Double {
        let created = (try? FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? Date()
        return Date().timeIntervalSince(created)
    }
}
