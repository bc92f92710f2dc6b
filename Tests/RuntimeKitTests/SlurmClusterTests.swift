import Foundation
import PlatformTestKit
import Testing

/// The real Slurm the Slurm adapter will be tested against: fake GRES GPUs behave like real
/// ones for scheduling (CUDA_VISIBLE_DEVICES per job, pending on resources, refusal above capacity).
@Suite("Slurm test cluster", .serialized, .tags(.integration, .slurm))
struct SlurmClusterTests {
    @Test("sbatch --gres=gpu:h100:2 gets devices 0,1 then 2,3; a third job pends on resources; gpu:5 is refused")
    func fakeGPUs() async throws {
        try await withTemporaryDirectory { directory async throws in
            let cluster = try await SlurmCluster.start(in: directory)
            do {
                var jobs: [String] = []
                for index in 0..<3 {
                    let submitted = try await cluster.run("sbatch", [
                        "--parsable", "--gres=gpu:h100:2", "-o", "\(cluster.directory)/job\(index).out",
                        "--wrap", "echo CUDA=$CUDA_VISIBLE_DEVICES; sleep 5",
                    ])
                    #expect(submitted.status == 0, "\(submitted.output)")
                    jobs.append(submitted.output.trimmingCharacters(in: .whitespacesAndNewlines))
                }
                var outputs: [String] = []
                for _ in 0..<100 {
                    outputs = (0..<2).compactMap { try? String(contentsOfFile: "\(cluster.directory)/job\($0).out", encoding: .utf8) }
                    if outputs.count == 2, outputs.allSatisfy({ $0.contains("CUDA=") }) { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(Set(outputs.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }) == ["CUDA=0,1", "CUDA=2,3"])
                // Right after submission the reason may still be None or Priority until the
                // scheduler has looked at the job; wait for its verdict.
                var queue = try await cluster.run("squeue", ["-h", "-j", jobs[2], "-o", "%T %r"])
                for _ in 0..<100 where !queue.output.contains("Resources") {
                    try await Task.sleep(for: .milliseconds(100))
                    queue = try await cluster.run("squeue", ["-h", "-j", jobs[2], "-o", "%T %r"])
                }
                #expect(queue.output.contains("PENDING") && queue.output.contains("Resources"), "\(queue.output)")
                let tooMany = try await cluster.run("sbatch", ["--gres=gpu:5", "--wrap", "true"])
                #expect(tooMany.status != 0 && tooMany.output.contains("Requested node configuration is not available"))
            } catch {
                await cluster.stop()
                throw error
            }
            await cluster.stop()
        }
    }
}
