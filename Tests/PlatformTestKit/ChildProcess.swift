import Foundation

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
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of the test process leaks into the child: a daemon it starts (munged,
        // slurmctld, postgres) must not keep another child's pipe or Foundation's process
        // monitor open, or whoever waits on those blocks a cooperative thread.
        if let closeFrom = Self.addCloseFrom { _ = closeFrom(&actions, 3) }
        // The test runner blocks and ignores signals a child expects at their defaults
        // (a shell's `wait`, an HTTP server's SIGCHLD): start every child with a clean slate.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        var envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, &argv, &envp)
        guard result == 0 else {
            throw NSError(domain: "ChildProcess", code: Int(result), userInfo: [
                NSLocalizedDescriptionKey: "cannot start \(executable): \(String(cString: strerror(result)))",
            ])
        }
        self.pid = pid
        self.outputPath = outputPath
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), looked up at run time
    /// because the Glibc module does not export it.
    private static let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

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
        while clock.now < deadline {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
                exitStatus = code
                return code
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
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
