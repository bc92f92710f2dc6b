import Foundation
import HTTPTypes
import Logging
import PlatformContracts
import PlatformServer
import PlatformTestKit
import Testing

@Suite("Server configuration")
struct ConfigurationTests {
    @Test("flags win over PLATFORMD_* variables, which win over the config file, which wins over defaults")
    func precedence() async throws {
        try await withTemporaryDirectory { directory async throws in
            let file = directory.appending("platformd.yaml")
            try """
            data-dir: /from/file
            listen: 0.0.0.0:7000
            database-url: postgres://file-host/db
            log-level: debug
            """.write(to: file, atomically: true, encoding: .utf8)
            let environment = ["PLATFORMD_CONFIG": file.path, "PLATFORMD_LISTEN": "127.0.0.1:7001", "PLATFORMD_LOG_FORMAT": "text"]
            let resolved = try ServerConfiguration.resolve(flags: .init(dataDirectory: "/from/flag"), environment: environment)
            #expect(resolved.dataDirectory == "/from/flag")
            #expect(resolved.listen == ListenAddress(host: "127.0.0.1", port: 7001))
            #expect(resolved.databaseURL == "postgres://file-host/db")
            #expect(resolved.logLevel == .debug)
            #expect(resolved.logFormat == .text)

            let defaults = try ServerConfiguration.resolve(flags: .init(), environment: [:])
            #expect(defaults == .defaults)
        }
    }

    @Test("an unknown config file key is refused with its line")
    func unknownKey() async throws {
        try await withTemporaryDirectory { directory async throws in
            let file = directory.appending("bad.yaml")
            try "listen: 127.0.0.1:1\ndatabase_url: postgres://x/y\n".write(to: file, atomically: true, encoding: .utf8)
            let error = #expect(throws: PlatformError.self) {
                try ServerConfiguration.resolve(flags: .init(configFile: file.path), environment: [:])
            }
            #expect(error?.code == .configInvalid)
            #expect(error?.message.contains("unknown key \"database_url\"") == true)
            #expect(error?.message.contains("line 2") == true)
        }
    }

    @Test("bad values say where they came from", arguments: [
        (ServerConfiguration.Overrides(listen: "nonsense"), "has no port"),
        (ServerConfiguration.Overrides(listen: "127.0.0.1:99999"), "invalid port"),
        (ServerConfiguration.Overrides(logLevel: "loud"), "from flag"),
        (ServerConfiguration.Overrides(configFile: "/nonexistent/platformd.yaml"), "cannot read config file"),
        (ServerConfiguration.Overrides(connectMaxTTL: "30"), "60…86400 seconds"),
    ])
    func badValues(flags: ServerConfiguration.Overrides, fragment: String) {
        let error = #expect(throws: PlatformError.self) { try ServerConfiguration.resolve(flags: flags, environment: [:]) }
        #expect(error?.code == .configInvalid)
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "")")
    }

    @Test("the connect max TTL comes from flags, PLATFORMD_* or the file")
    func connectSettings() throws {
        let defaults = try ServerConfiguration.resolve(flags: .init(), environment: [:])
        #expect(defaults.connectMaxTTLSeconds == 900)
        let set = try ServerConfiguration.resolve(flags: .init(), environment: ["PLATFORMD_CONNECT_MAX_TTL": "3600"])
        #expect(set.connectMaxTTLSeconds == 3600)
    }

    @Test("idle-minute, a test-only speed setting, is gone: the config file refuses the key")
    func idleMinuteIsNotASetting() async throws {
        try await withTemporaryDirectory { directory async throws in
            let file = directory.appending("old.yaml")
            try "idle-minute: 1\n".write(to: file, atomically: true, encoding: .utf8)
            let error = #expect(throws: PlatformError.self) {
                try ServerConfiguration.resolve(flags: .init(configFile: file.path), environment: [:])
            }
            #expect(error?.message.contains("unknown key \"idle-minute\"") == true, "\(error?.message ?? "")")
        }
    }

    @Test("listen addresses parse IPv4, IPv6 and port 0")
    func listenAddresses() throws {
        #expect(try ListenAddress(parsing: "[::1]:8080") == ListenAddress(host: "::1", port: 8080))
        #expect(try ListenAddress(parsing: ":9000") == ListenAddress(host: "0.0.0.0", port: 9000))
        #expect(try ListenAddress(parsing: "[::1]:8080").description == "[::1]:8080")
    }

    @Test("JSON log lines are one object each, with metadata and the level")
    func jsonLogs() throws {
        let lines = LinesBox()
        var logger = Logger(label: "platformd") { label in JSONLogHandler(label: label) { lines.append($0) } }
        logger[metadataKey: "request_id"] = "r-1"
        logger.warning("disk \"nearly\" full", metadata: ["free_bytes": "1024", "paths": ["/a", "/b"]])
        logger.debug("hidden at info level")
        let captured = lines.all
        #expect(captured.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(captured[0].utf8)) as? [String: Any])
        #expect(object["level"] as? String == "warning")
        #expect(object["message"] as? String == "disk \"nearly\" full")
        #expect(object["logger"] as? String == "platformd")
        #expect(object["request_id"] as? String == "r-1")
        #expect(object["free_bytes"] as? String == "1024")
        #expect(object["paths"] as? [String] == ["/a", "/b"])
        #expect((object["time"] as? String)?.hasSuffix("Z") == true)
        #expect(!captured[0].contains("\n"))
    }
}

final class LinesBox: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
