import Foundation
import PlatformContracts
import PlatformStore
import RuntimeKit
import SQLKit

/// Instance rows written straight into `apps_instances`, in terminal phases so no supervisor
/// acts on them: a project with a thousand instances for the console's paging tests and its
/// render benchmark, without launching a thousand of anything.
public enum InstanceRowSeed {
    /// Writes `count` instances of gpu-echo into `project`, one minute apart and oldest first
    /// (phases cycle stopped, succeeded, failed), and returns their ids in that order.
    @discardableResult
    public static func write(_ count: Int, project: String, tenant: String, store: SQLStore) async throws -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let digest = ContentDigest(sha256Bytes: [UInt8](repeating: 7, count: 32))
        let phases = ["stopped", "succeeded", "failed"]
        let start = Timestamp.now().millisecondsSinceEpoch - UInt64(count) * 60_000
        var ids: [String] = []
        for batch in stride(from: 0, to: count, by: 100) {
            let batchIDs = (batch..<min(count, batch + 100)).map { _ in ULID().description }
            try await store.transaction { db in
                for (offset, id) in batchIDs.enumerated() {
                    let index = batch + offset
                    let spec = LaunchSpec(instanceId: id, project: project, app: "gpu-echo", version: "1.\(index % 7).0", mode: .service,
                                          image: .init(repository: "bench/gpu-echo", manifestDigest: digest), command: ["serve"])
                    let at = Timestamp(millisecondsSinceEpoch: start + UInt64(index) * 60_000).rfc3339
                    let phase = phases[index % phases.count]
                    try await db.insert(into: "apps_instances")
                        .columns("id", "project_id", "tenant_id", "app", "version", "adapter", "environment", "mode", "phase", "reason",
                                 "message", "image", "spec", "gpus", "gpu_count", "endpoints", "launched_by", "created_at", "updated_at",
                                 "metered_through", "stop_requested", "deleted")
                        .values(SQLBind(id), SQLBind(project), SQLBind(tenant), SQLBind("gpu-echo"), SQLBind("1.\(index % 7).0"),
                                SQLBind("local"), SQLBind("development"), SQLBind("service"), SQLBind(phase),
                                SQLBind(phase == "failed" ? "lost" : nil as String?), SQLBind("seeded instance \(index)"),
                                SQLBind("bench/gpu-echo@\(digest)"), SQLBind(String(decoding: try encoder.encode(spec), as: UTF8.self)),
                                SQLBind("[0]"), SQLBind(1), SQLBind(#"{"http":8080}"#), SQLBind("seed"), SQLBind(at), SQLBind(at),
                                SQLBind(0), SQLBind(phase == "stopped" ? 1 : 0), SQLBind(0))
                        .run()
                }
            }
            ids += batchIDs
        }
        return ids
    }
}
