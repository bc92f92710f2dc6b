import Foundation
import RuntimeKit

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn`, its output going to a file, for tests that
/// run the real `platformd` and `appctl` binaries.
public final class ChildProcess: @unchecked Sendable {
    /// The process id.
    public let pid: pid_t
    /// Where stdout and stderr go.
    public let outputPath: String
    private var exitStatus: Int32?

    /// Starts `executable` with `arguments`; `environment` is added to this process's.
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], outputPath: String) throws {
        // The platform's own spawn: nothing of the test process leaks into the child (a
        // daemon it starts must not hold another child's pipe open) and the runner's blocked
        // or ignored signals are reset (a shell's `wait`, an HTTP server's SIGCHLD).
        self.pid = try HostCommand.spawn(executable, arguments, environment: environment, stdout: outputPath, stderr: outputPath)
        self.outputPath = outputPath
    }

    /// Sends a signal.
    public func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Waits up to `timeout` for the process to exit; returns its exit code, or `nil` if it
    /// is still running (or was killed by a signal: then 128 + signal).
    public func wait(timeout: Duration) async -> Int32? {
        if let exitStatus { return exitStatus }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        // The status is read once more after the deadline: a cooperative pool starved by
        // other suites can resume this task long after a child that exited in time, and
        // that child must not read as "still running".
        while true {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
                exitStatus = code
                return code
            }
            if clock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Everything it printed so far.
    public var output: String {
        (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }

    /// Kills it if still running.
    public func terminate() async {
        if await wait(timeout: .zero) == nil {
            kill(pid, SIGKILL)
            _ = await wait(timeout: .seconds(5))
        }
    }
}

/// The folder holding the built products (`platformd`, `appctl`) next to the test bundle.
public func builtProductsDirectory() -> URL {
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var directory = executable.deletingLastPathComponent()
    // The test binary may sit inside a `.xctest` bundle folder.
    while !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("platformd").path),
          directory.path != "/"
    {
        directory = directory.deletingLastPathComponent()
    }
    return directory
}
