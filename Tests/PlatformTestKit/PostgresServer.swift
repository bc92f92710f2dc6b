import Foundation
import Logging
import PlatformContracts
import PlatformStore
import SQLKit
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A real PostgreSQL server for the test process: `initdb` into a temp dir, `postgres` on
/// 127.0.0.1 and a random port, started once and stopped at process exit. PostgreSQL
/// refuses to run as root, so as root it runs as the `postgres` user through `setpriv`.
///
/// Set `PLATFORM_TEST_POSTGRES=skip` to leave PostgreSQL out (the README's test command
/// installs it, and CI never skips it). `PLATFORM_TEST_PG_BIN` names the binaries folder.
public actor PostgresServer {
    /// The process-wide server.
    public static let shared = PostgresServer()

    /// Whether PostgreSQL tests run in this process.
    public static var isEnabled: Bool {
        ProcessInfo.processInfo.environment["PLATFORM_TEST_POSTGRES"] != "skip"
    }

    private var started: Task<String, any Error>?

    /// A URL to a fresh, empty database on the shared server.
    public func makeDatabase() async throws -> String {
        let base = try await baseURL()
        let name = "t_\(ULID().description.lowercased())"
        let admin = try await SQLStore.open(try DatabaseLocation(url: "\(base)/postgres"), maxConnections: 1, logger: Logger(label: "pg-fixture") { _ in SwiftLogNoOpLogHandler() })
        defer { Task { await admin.shutdown() } }
        try await admin.read { db in try await db.raw("CREATE DATABASE \(ident: name)").run() }
        return "\(base)/\(name)"
    }

    /// `postgres://postgres@127.0.0.1:PORT` (append `/dbname`).
    public func baseURL() async throws -> String {
        if let started { return try await started.value }
        let task = Task { try Self.start() }
        started = task
        return try await task.value
    }

    private static func start() throws -> String {
        let bin = try binaries()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("platform-pg-\(getpid())")
        try? FileManager.default.removeItem(at: root)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let data = root.appendingPathComponent("data").path
        let asRoot = geteuid() == 0
        if asRoot {
            try run("/bin/chown", ["-R", "postgres:postgres", root.path])
        }
        try run(bin + "/initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"], asPostgres: asRoot)
        let port = freeLocalPort()
        let server = try spawn(
            bin + "/postgres",
            ["-D", data, "-k", root.path, "-p", "\(port)", "-c", "listen_addresses=127.0.0.1",
             "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
             "-c", "max_connections=200"],
            asPostgres: asRoot, log: root.appendingPathComponent("postgres.log").path)
        serverPID.withLock { $0 = server }
        atexit {
            let pid = serverPID.withLock { $0 }
            if pid > 0 { kill(pid, SIGQUIT) }
        }
        // Ready when the port accepts connections.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if canConnect(port: port) { return "postgres://postgres@127.0.0.1:\(port)" }
            var status: Int32 = 0
            if waitpid(server, &status, WNOHANG) == server {
                let log = (try? String(contentsOfFile: root.appendingPathComponent("postgres.log").path, encoding: .utf8)) ?? ""
                throw PlatformError(.storeUnavailable, "postgres exited during start-up:\n\(log)")
            }
            usleep(100_000)
        }
        throw PlatformError(.storeUnavailable, "postgres did not accept connections on port \(port) within 30 s")
    }

    private static func binaries() throws -> String {
        if let bin = ProcessInfo.processInfo.environment["PLATFORM_TEST_PG_BIN"] { return bin }
        let base = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [])
            .compactMap(Int.init).sorted()
        for version in versions.reversed() where FileManager.default.isExecutableFile(atPath: "\(base)/\(version)/bin/postgres") {
            return "\(base)/\(version)/bin"
        }
        throw PlatformError(
            .storeUnavailable,
            "PostgreSQL server binaries not found under /usr/lib/postgresql: install postgresql-15 (apt-get install -y postgresql-15) or set PLATFORM_TEST_POSTGRES=skip")
    }

    private static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    private static func command(_ executable: String, _ arguments: [String], asPostgres: Bool) -> [String] {
        asPostgres
            ? ["/usr/bin/setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", executable] + arguments
            : [executable] + arguments
    }

    private static func run(_ executable: String, _ arguments: [String], asPostgres: Bool = false) throws {
        let pid = try spawn(executable, arguments, asPostgres: asPostgres, log: "/dev/null")
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else {
            throw PlatformError(.storeUnavailable, "\(executable) \(arguments.joined(separator: " ")) failed with status \(status)")
        }
    }

    /// posix_spawn with stdout/stderr to `log`: Foundation's Process keeps descriptors the
    /// child inherits, which can hang a waiter when the child leaves daemons behind.
    private static func spawn(_ executable: String, _ arguments: [String], asPostgres: Bool, log: String) throws -> pid_t {
        let argv = command(executable, arguments, asPostgres: asPostgres)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
        guard result == 0 else {
            throw PlatformError(.storeUnavailable, "cannot start \(argv[0]): \(String(cString: strerror(result)))")
        }
        return pid
    }
}

private let serverPID = Mutex<pid_t>(0)
