import Foundation

/// A real one-node Slurm cluster (munged, slurmctld, slurmd) with fake GRES GPUs in a
/// temporary folder, started by `scripts/slurm/cluster.sh`; clients reach it through
/// ``environment`` (`SLURM_CONF`).
public struct SlurmCluster: Sendable {
    /// The cluster's folder.
    public let directory: String
    /// `SLURM_CONF` for client commands.
    public var environment: [String: String] { ["SLURM_CONF": "\(directory)/slurm.conf"] }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/slurm/cluster.sh").path

    /// Starts a cluster of `nodes` nodes (`localhost`, then `node2`, …) with `gpus` fake devices of `type` each.
    public static func start(in directory: TemporaryDirectory, gpus: Int = 4, type: String = "h100", nodes: Int = 1) async throws -> SlurmCluster {
        let folder = directory.appending("slurm").path
        let start = try ChildProcess("/bin/bash", [script, "start", folder, String(gpus), type, String(nodes)],
                                     outputPath: directory.appending("slurm-start.log").path)
        guard await start.wait(timeout: .seconds(60)) == 0 else {
            throw SlurmClusterError(message: "Slurm did not start:\n\(start.output)")
        }
        return SlurmCluster(directory: folder)
    }

    /// Stops every daemon and cancels every job.
    public func stop() async {
        let stop = try? ChildProcess("/bin/bash", [Self.script, "stop", directory], outputPath: "\(directory)/stop.log")
        _ = await stop?.wait(timeout: .seconds(30))
    }

    /// Runs a Slurm client command against the cluster and returns its exit status and output.
    public func run(_ command: String, _ arguments: [String]) async throws -> (status: Int32?, output: String) {
        let log = "\(directory)/cmd-\(UUID().uuidString).log"
        let process = try ChildProcess("/usr/bin/\(command)", arguments, environment: environment, outputPath: log)
        let status = await process.wait(timeout: .seconds(60))
        return (status, process.output)
    }
}

/// Why the cluster could not start.
public struct SlurmClusterError: Error, CustomStringConvertible {
    /// The script's output.
    public let message: String
    /// The message.
    public var description: String { message }
}
