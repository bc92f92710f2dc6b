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
        let task = Task { try await Self.start() }
        started = task
        return try await task.value
    }

    private static func start() async throws -> String {
        let bin = try binaries()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("platform-pg-\(getpid())")
        try? FileManager.default.removeItem(at: root)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let data = root.appendingPathComponent("data").path
        let asRoot = geteuid() == 0
        if asRoot {
            guard await (try spawn("/bin/chown", ["-R", "postgres:postgres", root.path], asPostgres: false, log: "/dev/null"))
                .wait(timeout: .seconds(30)) == 0
            else { throw PlatformError(.storeUnavailable, "cannot chown \(root.path) to postgres") }
        }
        let log = root.appendingPathComponent("postgres.log").path
        let initdb = try spawn(bin + "/initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"],
                               asPostgres: asRoot, log: root.appendingPathComponent("initdb.log").path)
        guard await initdb.wait(timeout: .seconds(120)) == 0 else {
            throw PlatformError(.storeUnavailable, "initdb failed:\n\(initdb.output)")
        }
        let port = freeLocalPort()
        let server = try spawn(
            bin + "/postgres",
            ["-D", data, "-k", root.path, "-p", "\(port)", "-c", "listen_addresses=127.0.0.1",
             "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
             "-c", "max_connections=600"],
            asPostgres: asRoot, log: log)
        serverPID.withLock { $0 = server.pid }
        atexit {
            let pid = serverPID.withLock { $0 }
            if pid > 0 { kill(pid, SIGQUIT) }
        }
        // Ready when the port accepts connections.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if canConnect(port: port) { return "postgres://postgres@127.0.0.1:\(port)" }
            if await server.wait(timeout: .zero) != nil {
                throw PlatformError(.storeUnavailable, "postgres exited during start-up:\n\(server.output)")
            }
            try await Task.sleep(for: .milliseconds(100))
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

    private static func spawn(_ executable: String, _ arguments: [String], asPostgres: Bool, log: String) throws -> ChildProcess {
        let argv = command(executable, arguments, asPostgres: asPostgres)
        return try ChildProcess(argv[0], Array(argv.dropFirst()), outputPath: log)
    }
}

private let serverPID = Mutex<pid_t>(0)
