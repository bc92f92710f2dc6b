import Foundation
import PlatformContracts
import PlatformTestKit
import SlurmRuntimeAdapter
import Testing

/// `slurm:nodes`, the readiness check that feeds the status board's `slurm` component:
/// a live controller with nodes passes with the node count; a configuration Slurm cannot use fails.
@Suite("Slurm health check", .serialized, .tags(.integration, .slurm))
struct SlurmHealthCheckTests {
    @Test("a live cluster passes with its node count; an unusable configuration fails with sinfo's reason")
    func slurmHealthFollowsTheController() async throws {
        let broken = await SlurmHealthCheck(slurmConf: "/nonexistent/slurm.conf", partition: nil).check()
        #expect(broken.status == .fail)
        #expect(broken.output?.hasPrefix("sinfo") == true, "\(broken.output ?? "")")
        try await withTemporaryDirectory { directory async throws in
            let cluster = try await SlurmCluster.start(in: directory)
            let live = await SlurmHealthCheck(slurmConf: cluster.environment["SLURM_CONF"], partition: nil).check()
            await cluster.stop()
            #expect(live.status == .pass, "\(live.output ?? "")")
            #expect((live.observedValue ?? 0) >= 1 && live.observedUnit == "nodes")
        }
    }
}
