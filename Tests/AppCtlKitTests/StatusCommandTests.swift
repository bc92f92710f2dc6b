import AppCtlKit
import Foundation
import HummingbirdTesting
import Logging
import PlatformContracts
import PlatformServer
import PlatformStore
import PlatformTestKit
import Testing

let quietLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

/// Runs a real in-process `platformd` and hands `body` its base URL.
func withServer(
    _ directory: TemporaryDirectory, databaseURL: String? = nil,
    _ body: @escaping @Sendable (String) async throws -> Void
) async throws {
    let configuration = ServerConfiguration(
        dataDirectory: directory.appending("server").path, listen: ListenAddress(host: "127.0.0.1", port: 0),
        databaseURL: databaseURL, logLevel: .warning, logFormat: .json)
    let server = try await PlatformServer.bootstrap(configuration, logger: quietLogger)
    do {
        try await server.application.test(.live) { client async throws in
            try await body("http://127.0.0.1:\(try #require(client.port))")
        }
    } catch {
        await server.store.shutdown()
        throw error
    }
    await server.store.shutdown()
}

@Suite("appctl status", .tags(.integration))
struct StatusCommandTests {
    @Test("status prints health and version as a table, JSON and YAML")
    func statusFormats() async throws {
        try await withTemporaryDirectory { directory async throws in
            let appctl = CommandHarness(directory: directory)
            try await withServer(directory) { url async throws in
                let table = await appctl.run("status", "--server", url)
                #expect(table.exitCode == 0, "\(table.errorOutput)")
                #expect(table.output.contains("STATUS        pass"))
                #expect(table.output.contains("DATABASE      sqlite (schema apps v2, artifacts v2, audit v2, billing v1, connect v2, core v1, evidence v1, iam v2, instances v8, metering v2, notification v1, outbox v1, policy v1, secrets v2, status v1, volumes v1)"))
                #expect(table.output.contains("database:responseTime  pass"))

                let json = await appctl.run("--server", url, "status", "-o", "json")
                #expect(json.exitCode == 0)
                let report = try JSONDecoder().decode(StatusCommand.Report.self, from: Data(json.output.utf8))
                #expect(report.server == url)
                #expect(report.health.status == .pass)
                #expect(report.version.name == "platformd")

                let yaml = await appctl.run("status", "--server", url, "--output", "yaml")
                #expect(yaml.exitCode == 0)
                #expect(yaml.output.contains("databaseBackend: sqlite"))
            }
        }
    }

    @Test("status uses the current context")
    func statusFromContext() async throws {
        try await withTemporaryDirectory { directory async throws in
            let appctl = CommandHarness(directory: directory)
            try await withServer(directory) { url async throws in
                #expect(await appctl.run("context", "add", "local", "--server", url).exitCode == 0)
                let result = await appctl.run("status", "-o", "json")
                #expect(result.exitCode == 0, "\(result.errorOutput)")
                #expect(result.output.contains(url))
            }
        }
    }

    @Test("a server that is not ready: status prints why and exits 69")
    func notReady() async throws {
        try await withTemporaryDirectory { directory async throws in
            let appctl = CommandHarness(directory: directory)
            let database = "postgres://platform@127.0.0.1:\(freeLocalPort())/platform"
            try await withServer(directory, databaseURL: database) { url async throws in
                let result = await appctl.run("status", "--server", url)
                #expect(result.exitCode == 69)
                #expect(result.output.contains("STATUS        fail"))
                #expect(result.output.contains("store.unavailable"))
                #expect(result.errorOutput.contains("client.server_not_ready"))
            }
        }
    }

    @Test("an unreachable server exits 69 with client.server_unreachable")
    func unreachable() async throws {
        try await withTemporaryDirectory { directory async throws in
            let result = await CommandHarness(directory: directory)
                .run("status", "--server", "http://127.0.0.1:\(freeLocalPort())")
            #expect(result.exitCode == 69)
            #expect(result.errorOutput.contains("client.server_unreachable"))
            #expect(result.errorOutput.contains("connection refused"))
        }
    }
}
