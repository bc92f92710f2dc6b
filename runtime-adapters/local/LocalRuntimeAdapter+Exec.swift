import Foundation
import PlatformContracts
import RuntimeKit
#if canImport(Glibc)
import Glibc
#endif

/// `appctl instance exec` on the local adapter: `runc exec` into the running container.
///
/// The exec'd process is the container's process spec again (``OCIRuntimeConfig``) with
/// another argv: the instance's user namespace (container uid 0 = its unprivileged host
/// range), its network namespace (its own loopback, its veth, nothing of the host's), its
/// mount namespace and read-only root, its cgroup, the same capabilities, seccomp filter and
/// no-new-privileges. `--pid-file` gives the command's host pid, so a deadline or a closed
/// terminal kills the command itself: killing `runc exec` alone would leave it running.
extension LocalRuntimeAdapter: RuntimeTerminalSupport {
    /// The most output an exec answers (the rest is cut, with a note).
    static let execOutputLimit = 1 << 20

    public func exec(_ handle: RuntimeHandle, command: [String], timeout: Duration) async throws -> ExecResult {
        let folder = try folder(of: handle)
        let stem = folder.url.appendingPathComponent("exec-\(UUID().uuidString)").path
        let pidFile = stem + ".pid", outPath = stem + ".out"
        defer {
            unlink(pidFile)
            unlink(outPath)
        }
        let pid = try HostCommand.spawn(runc, ["--root", stateRoot.path, "exec", "--pid-file", pidFile, folder.containerId] + command,
                                        environment: [:], stdout: outPath, stderr: outPath)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var status: Int32?
        var timedOut = false
        var pause = Duration.milliseconds(1)
        while status == nil {
            var raw: Int32 = 0
            let result = waitpid(pid, &raw, WNOHANG)
            if result == pid {
                status = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
                break
            }
            if result < 0 { break }
            if !timedOut, clock.now >= deadline || Task.isCancelled {
                // The command first (runc exec then exits with its status), the client only if it lingers.
                timedOut = true
                Self.killCommand(pidFile: pidFile)
                let grace = clock.now.advanced(by: .seconds(5))
                while clock.now < grace, waitpid(pid, &raw, WNOHANG) == 0 { try? await Task.sleep(for: .milliseconds(20)) }
                kill(pid, SIGKILL)
                _ = waitpid(pid, &raw, 0)
                break
            }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(20))
        }
        var output = Self.readOutput(outPath)
        if timedOut { output += "\n[killed after \(timeout)]\n" }
        return ExecResult(status: timedOut ? RuntimeTerminal.timedOutStatus : status ?? 128 + SIGKILL, output: output)
    }

    public func openTerminal(_ handle: RuntimeHandle, command: [String], size: TerminalSize) async throws -> RuntimeTerminal {
        let folder = try folder(of: handle)
        let pidFile = folder.url.appendingPathComponent("exec-\(UUID().uuidString).pid").path
        return try RuntimeTerminal.spawn(runc, ["--root", stateRoot.path, "exec", "-t", "--pid-file", pidFile, folder.containerId] + command,
                                         size: size, commandPIDFile: pidFile)
    }

    static func killCommand(pidFile: String) {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
              let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1 else { return }
        kill(pid, SIGKILL)
    }

    /// The first ``execOutputLimit`` bytes of `path` (stdout and stderr as written).
    static func readOutput(_ path: String) -> String {
        guard let file = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? file.close() }
        let data = (try? file.read(upToCount: execOutputLimit + 1)) ?? Data()
        guard data.count > execOutputLimit else { return String(decoding: data, as: UTF8.self) }
        return String(decoding: data.prefix(execOutputLimit), as: UTF8.self) + "\n[output cut at \(execOutputLimit) bytes]\n"
    }
}
