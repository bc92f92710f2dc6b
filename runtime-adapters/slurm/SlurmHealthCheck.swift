import Foundation
import PlatformContracts
import RuntimeKit

/// Readiness check `slurm:nodes` when `platformd` runs with `--slurm-conf`: asks Slurm for
/// the nodes it would place on (`sinfo`). It feeds the status board's `slurm` and
/// `adapter:slurm` components: an unreachable controller is an outage, a partition without
/// nodes a warning.
public struct SlurmHealthCheck: HealthCheck {
    public let key = "slurm:nodes"
    let slurmConf: String?
    let partition: String?

    /// Creates the check over the same Slurm configuration and default partition as the adapter.
    public init(slurmConf: String?, partition: String?) {
        self.slurmConf = slurmConf
        self.partition = partition
    }

    public func check() async -> HealthCheckResult {
        let arguments = ["--noheader", "--Node", "--format=%N"] + (partition.map { ["--partition=\($0)"] } ?? [])
        do {
            let result = try await HostCommand.run("sinfo", arguments, environment: slurmConf.map { ["SLURM_CONF": $0] } ?? [:],
                                                   timeout: .seconds(5))
            guard result.status == 0 else {
                return HealthCheckResult(status: .fail, componentType: "system", time: .now(), output: "sinfo: \(result.problem)")
            }
            let nodes = Set(result.stdout.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty })
            return HealthCheckResult(
                status: nodes.isEmpty ? .warn : .pass, componentType: "system", observedValue: Int64(nodes.count), observedUnit: "nodes",
                time: .now(), output: nodes.isEmpty ? "Slurm has no nodes\(partition.map { " in partition \($0)" } ?? "")" : nil)
        } catch {
            return HealthCheckResult(status: .fail, componentType: "system", time: .now(), output: "sinfo: \(error)")
        }
    }
}
