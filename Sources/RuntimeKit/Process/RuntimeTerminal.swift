import Foundation
import PlatformContracts
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The host side of an interactive exec: a pseudo-terminal whose other side is the standard
/// input, output and error of a runtime's exec client (`runc exec -t`), which in turn gives
/// the command a terminal inside the instance and copies between the two.
///
/// Reads and writes never block a cooperative thread: the master is non-blocking and a read
/// that finds nothing sleeps briefly (a terminal is typed at, 10 ms is below notice). The
/// master is closed only when the terminal is deinitialised, so a reader never reads a
/// descriptor number the process reused.
public final class RuntimeTerminal: Sendable {
    /// The status of a command killed for outliving its deadline (what coreutils `timeout` answers).
    public static let timedOutStatus: Int32 = 124

    let master: Int32
    /// The exec client's process id on the host.
    public let pid: pid_t
    /// Where the exec client wrote the command's own host pid (`runc exec --pid-file`), so
    /// closing kills the command and not only the client; `nil`: only the client is signalled.
    let commandPIDFile: String?
    private let exit = Mutex<Int32?>(nil)

    init(master: Int32, pid: pid_t, commandPIDFile: String?) {
        self.master = master
        self.pid = pid
        self.commandPIDFile = commandPIDFile
    }

    deinit {
        Glibc.close(master)
        if let commandPIDFile { unlink(commandPIDFile) }
    }

    /// Starts `path` with a new pseudo-terminal of `size` as its standard input, output and
    /// error, in a new session, every other descriptor closed and signals at their defaults.
    /// - Throws: ``ErrorCode/runtimeCommandFailed`` when no terminal can be made or the client cannot start.
    public static func spawn(_ path: String, _ arguments: [String], size: TerminalSize,
                             commandPIDFile: String? = nil) throws(PlatformError) -> RuntimeTerminal {
        // What posix_openpt, unlockpt and ptsname do (the Glibc module does not export them):
        // a new master on the multiplexer, its slave unlocked, the slave's number.
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard master >= 0, ioctl(master, Self.setLock, &unlock) == 0, ioctl(master, Self.getNumber, &number) == 0 else {
            if master >= 0 { Glibc.close(master) }
            throw PlatformError(.runtimeCommandFailed, "cannot open a pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        let slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard slave >= 0 else {
            Glibc.close(master)
            throw PlatformError(.runtimeCommandFailed, "cannot open the pseudo-terminal's slave: \(String(cString: strerror(errno)))")
        }
        defer { Glibc.close(slave) }
        setSize(master, size)
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for target in Int32(0)...2 { posix_spawn_file_actions_adddup2(&actions, slave, target) }
        if let closeFrom = addCloseFrom { _ = closeFrom(&actions, 3) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGWINCH] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        // A new session: the client's signals and job control never reach platformd's group.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | 0x80 /* POSIX_SPAWN_SETSID */))
        var argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = environment["TERM"] ?? "xterm"
        var envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, &argv, &envp)
        guard result == 0 else {
            Glibc.close(master)
            throw PlatformError(.runtimeCommandFailed, "cannot start \(path): \(String(cString: strerror(result)))")
        }
        return RuntimeTerminal(master: master, pid: pid, commandPIDFile: commandPIDFile)
    }

    /// Up to `limit` bytes the command wrote; `nil` once the other side is gone for good
    /// (every process holding it exited) and nothing is left to read.
    public func read(upTo limit: Int = 1 << 16) async -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: limit)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(master, $0.baseAddress, limit) }
            if count > 0 { return Array(buffer.prefix(count)) }
            if count == 0 { return nil }
            let error = errno
            // EIO: the slave's last holder closed it (Linux's way of saying end of file).
            guard error == EAGAIN || error == EINTR else { return nil }
            guard !Task.isCancelled else { return nil }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Writes every byte to the command's terminal (its keyboard).
    /// - Throws: ``ErrorCode/runtimeCommandFailed`` when the terminal is gone.
    public func write(_ bytes: [UInt8]) async throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(master, $0.baseAddress! + offset, bytes.count - offset) }
            if count > 0 {
                offset += count
                continue
            }
            let error = errno
            guard error == EAGAIN || error == EINTR else {
                throw PlatformError(.runtimeCommandFailed, "the terminal is closed: \(String(cString: strerror(error)))")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Changes the window size; the exec client is told (SIGWINCH) and resizes the command's
    /// terminal, whose foreground program gets its own SIGWINCH.
    public func resize(_ size: TerminalSize) {
        Self.setSize(master, size)
        kill(pid, SIGWINCH)
    }

    /// The exec client's exit status (the command's, for `runc exec`), once it exits.
    public func wait() async -> Int32 {
        var pause = Duration.milliseconds(1)
        while true {
            if let status = reap() { return status }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(50))
        }
    }

    /// The exit status if the client has exited (reaping it once).
    public func reap() -> Int32? {
        exit.withLock { known in
            if let known { return known }
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { known = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f) }
            if result < 0 { known = 128 + SIGKILL }
            return known
        }
    }

    /// Ends the session: a hang-up (as a closed terminal gives), then after `grace` a kill of
    /// the command and its client. Returns the exit status.
    @discardableResult
    public func close(grace: Duration = .seconds(2)) async -> Int32 {
        if let status = reap() { return status }
        kill(pid, SIGHUP)
        let deadline = ContinuousClock.now.advanced(by: grace)
        while ContinuousClock.now < deadline {
            if let status = reap() { return status }
            try? await Task.sleep(for: .milliseconds(20))
        }
        killCommand()
        kill(pid, SIGKILL)
        return await wait()
    }

    /// Kills the command itself (its host pid from ``commandPIDFile``), when known.
    public func killCommand() {
        guard let commandPIDFile, let text = try? String(contentsOfFile: commandPIDFile, encoding: .utf8),
              let commandPID = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), commandPID > 1 else { return }
        kill(commandPID, SIGKILL)
    }

    /// `TIOCSPTLCK` and `TIOCGPTN` (`_IOW('T', 0x31, int)`, `_IOR('T', 0x30, unsigned int)`), not exported either.
    static let setLock: UInt = 0x4004_5431
    static let getNumber: UInt = 0x8004_5430

    static func setSize(_ fd: Int32, _ size: TerminalSize) {
        var window = winsize(ws_row: size.rows, ws_col: size.columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(fd, UInt(TIOCSWINSZ), &window)
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), looked up at run time
    /// because the Glibc module does not export it.
    private static let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()
}
