import Foundation
import PlatformContracts
#if canImport(Glibc)
import Glibc
#endif

/// What a finished host command left.
public struct HostCommandResult: Sendable, Hashable {
    /// Exit status (128 + signal when killed by one).
    public var status: Int32
    /// Standard output.
    public var stdout: String
    /// Standard error.
    public var stderr: String

    /// The error text to show for a failure: stderr, else stdout, trimmed.
    public var problem: String {
        (stderr.isEmpty ? stdout : stderr).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Runs runtime tools (`runc`, `sbatch`, `squeue`) as child processes.
///
/// Children get `posix_spawn` with every descriptor above 2 closed, and write into files
/// rather than pipes: a daemon a tool starts can never hold a pipe of ours open, and waiting
/// polls `waitpid` so no cooperative thread blocks.
public enum HostCommand {
    /// Runs `executable` (a path, or a name looked up on `PATH`) and waits for it.
    /// - Throws: ``ErrorCode/runtimeAdapterUnavailable`` when it cannot be started;
    ///   ``ErrorCode/runtimeCommandFailed`` when it outlives `timeout` (it is killed).
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                           timeout: Duration = .seconds(60)) async throws -> HostCommandResult {
        guard let path = executable.contains("/") ? executable : locate(executable) else {
            throw PlatformError(.runtimeAdapterUnavailable, "\(executable) is not installed (not on PATH)")
        }
        let stem = FileManager.default.temporaryDirectory.appendingPathComponent("hostcmd-\(UUID().uuidString)").path
        let outPath = stem + ".out", errPath = stem + ".err"
        defer {
            unlink(outPath)
            unlink(errPath)
        }
        let pid = try spawn(path, arguments, environment: environment, stdout: outPath, stderr: errPath)
        let status = await wait(pid, timeout: timeout)
        let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        guard let status else {
            throw PlatformError(.runtimeCommandFailed, "\(executable) \(arguments.prefix(3).joined(separator: " ")) did not finish within \(timeout); killed")
        }
        return HostCommandResult(status: status, stdout: stdout, stderr: stderr)
    }

    /// Waits for `pid` up to `timeout`; kills it and returns `nil` when it runs longer.
    public static func wait(_ pid: pid_t, timeout: Duration) async -> Int32? {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var pause = Duration.microseconds(500)
        while true {
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f) }
            if result < 0 { return nil }
            if clock.now >= deadline || Task.isCancelled {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                return nil
            }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(20))
        }
    }

    /// The first executable called `name` on `PATH` (plus the sbin folders root tools live in).
    public static func locate(_ name: String) -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin") + ":/usr/sbin:/sbin:/usr/local/sbin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts `path` with stdin from `/dev/null`, stdout and stderr into files (truncated;
    /// the same file for both when the paths are equal), every descriptor above 2 closed and
    /// signals at their defaults; `environment` is added to this process's. The caller reaps it.
    /// - Throws: ``ErrorCode/runtimeAdapterUnavailable`` when it cannot be started.
    public static func spawn(_ path: String, _ arguments: [String], environment: [String: String], stdout: String, stderr: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let flags = O_WRONLY | O_CREAT | O_TRUNC
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, flags, 0o640)
        if stderr == stdout {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, stderr, flags, 0o640)
        }
        if let closeFrom = addCloseFrom { _ = closeFrom(&actions, 3) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        var envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, &argv, &envp)
        guard result == 0 else {
            throw PlatformError(.runtimeAdapterUnavailable, "cannot start \(path): \(String(cString: strerror(result)))")
        }
        return pid
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), looked up at run time
    /// because the Glibc module does not export it.
    private static let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()
}
