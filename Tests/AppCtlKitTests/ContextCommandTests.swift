import AppCtlKit
import ArgumentParser
import Foundation
import PlatformContracts
import PlatformTestKit
import Testing

@Suite("appctl context")
struct ContextCommandTests {
    @Test("add, list, use and remove contexts; the first added becomes current; the file is private")
    func lifecycle() async throws {
        try await withTemporaryDirectory { directory async throws in
            let appctl = CommandHarness(directory: directory)
            #expect(await appctl.run("context", "list").output.contains("No contexts"))
            #expect(await appctl.run("context", "add", "local", "--server", "http://127.0.0.1:8080").exitCode == 0)
            #expect(await appctl.run("context", "add", "prod", "--server", "https://platform.example", "--token", "pk_test").exitCode == 0)

            let table = await appctl.run("context", "list").output
            #expect(table.contains("*        local  http://127.0.0.1:8080"))
            #expect(table.contains("prod   https://platform.example  stored"))
            #expect(!table.contains("pk_test"))

            #expect(await appctl.run("context", "use", "prod").exitCode == 0)
            let json = await appctl.run("context", "list", "--output", "json")
            let rows = try JSONDecoder().decode([ContextListCommand.Row].self, from: Data(json.output.utf8))
            #expect(rows.map(\.name) == ["local", "prod"])
            #expect(rows.first { $0.current }?.name == "prod")
            #expect(!json.output.contains("pk_test"))

            let attributes = try FileManager.default.attributesOfItem(atPath: appctl.configPath)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

            #expect(await appctl.run("context", "remove", "prod").exitCode == 0)
            let yaml = await appctl.run("context", "list", "-o", "yaml").output
            #expect(yaml.contains("name: local"))
            #expect(!yaml.contains("prod"))
        }
    }

    @Test("an unknown context exits 78 with client.context_not_found")
    func unknownContext() async throws {
        try await withTemporaryDirectory { directory async throws in
            let appctl = CommandHarness(directory: directory)
            let result = await appctl.run("context", "use", "ghost")
            #expect(result.exitCode == 78)
            #expect(result.errorOutput.contains("client.context_not_found"))
        }
    }

    @Test("bad names and URLs are usage errors (64)", arguments: [
        ["context", "add", "-bad", "--server", "http://x"],
        ["context", "add", "ok", "--server", "ftp://x"],
        ["context", "add", "ok"],
        ["status", "--output", "xml"],
        ["no-such-command"],
    ])
    func usageErrors(arguments: [String]) async throws {
        try await withTemporaryDirectory { directory async throws in
            let result = await CommandHarness(directory: directory).run(arguments)
            #expect(result.exitCode == 64, "\(arguments): \(result.errorOutput)")
            #expect(!result.errorOutput.isEmpty)
        }
    }

    @Test("a corrupt config file exits 78 with client.config_invalid")
    func corruptConfig() async throws {
        try await withTemporaryDirectory { directory async throws in
            let appctl = CommandHarness(directory: directory)
            try FileManager.default.createDirectory(atPath: directory.appending("appctl").path, withIntermediateDirectories: true)
            try "contexts: [ {name: x".write(toFile: appctl.configPath, atomically: true, encoding: .utf8)
            let result = await appctl.run("context", "list")
            #expect(result.exitCode == 78)
            #expect(result.errorOutput.contains("client.config_invalid"))
        }
    }

    @Test("server and token resolve from flags, then APPCTL_*, then the chosen context")
    func targetPrecedence() async throws {
        try await withTemporaryDirectory { directory async throws in
            let appctl = CommandHarness(directory: directory)
            _ = await appctl.run("context", "add", "a", "--server", "http://a:1", "--token", "ta")
            _ = await appctl.run("context", "add", "b", "--server", "http://b:2/")
            let context = CommandContext(
                environment: ["APPCTL_CONFIG": appctl.configPath], output: { _ in }, errorOutput: { _ in })
            func resolve(_ arguments: [String], _ environment: [String: String] = [:]) throws -> ServerTarget {
                let options = try GlobalOptions.parse(arguments)
                var withEnvironment = context
                withEnvironment.environment.merge(environment) { $1 }
                return try ServerTarget.resolve(options, in: withEnvironment)
            }
            #expect(try resolve([]) == ServerTarget(server: "http://a:1", token: "ta"))
            #expect(try resolve(["--context", "b"]) == ServerTarget(server: "http://b:2", token: nil))
            #expect(try resolve([], ["APPCTL_SERVER": "http://env:3", "APPCTL_TOKEN": "te"]) == ServerTarget(server: "http://env:3", token: "te"))
            #expect(try resolve(["--server", "http://flag:4", "--token", "tf"], ["APPCTL_SERVER": "http://env:3"])
                == ServerTarget(server: "http://flag:4", token: "tf"))
            #expect(throws: AppCtlError(.clientContextNotFound, "")) { try resolve(["--context", "zzz"]) }
        }
    }

    @Test("with no server anywhere, commands exit 78 and say how to configure one")
    func noServer() async throws {
        try await withTemporaryDirectory { directory async throws in
            let result = await CommandHarness(directory: directory).run("status")
            #expect(result.exitCode == 78)
            #expect(result.errorOutput.contains("appctl context add"))
            #expect(result.errorOutput.contains("client.no_server"))
        }
    }
}
