import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PlatformContracts
import PlatformServer
import PlatformStore
import PlatformTestKit
import Testing

/// The composition root (issue 16, points 8 and 9): data files come from the configured
/// resources folder, the store is a service that closes when the application stops, and
/// `/version` says what each module does today.
@Suite("Composition root")
struct CompositionRootTests {
    static let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("--resources comes from the flag, PLATFORMD_RESOURCES or the config file, and defaults to the working directory")
    func resourcesSettingResolves() async throws {
        try await withTemporaryDirectory { directory async throws in
            let file = directory.appending("platformd.yaml")
            try "resources: /from/file\n".write(to: file, atomically: true, encoding: .utf8)
            #expect(try ServerConfiguration.resolve(flags: .init(), environment: [:]).resourcesDirectory == ".")
            #expect(try ServerConfiguration.resolve(flags: .init(configFile: file.path), environment: [:]).resourcesDirectory == "/from/file")
            let environment = ["PLATFORMD_CONFIG": file.path, "PLATFORMD_RESOURCES": "/from/env"]
            #expect(try ServerConfiguration.resolve(flags: .init(), environment: environment).resourcesDirectory == "/from/env")
            #expect(try ServerConfiguration.resolve(flags: .init(resources: "/from/flag"), environment: environment).resourcesDirectory == "/from/flag")
        }
    }

    @Test("platformd reads its data files from the resources folder and does not search upwards for them")
    func dataFilesComeFromTheResourcesFolderOnly() async throws {
        try await withTemporaryDirectory { directory async throws in
            // The working directory (the checkout) has manifests/platform; a search would find it.
            var configuration = testConfiguration(dataDirectory: directory.appending("data").path)
            configuration.resourcesDirectory = directory.path
            let error = await #expect(throws: PlatformError.self) {
                _ = try await PlatformServer.bootstrap(configuration, logger: quietLogger)
            }
            #expect(error?.code == .configInvalid)
            #expect(error?.message.contains("no manifests/platform/scopes.yaml under the resources folder \(directory.path)") == true,
                    "\(error?.message ?? "")")
            #expect(error?.message.contains("--resources") == true)
        }
    }

    @Test("a resources folder elsewhere serves the registries and the portal from there")
    func explicitResourcesFolderIsUsed() async throws {
        try await withTemporaryDirectory { directory async throws in
            var configuration = testConfiguration(dataDirectory: directory.appending("data").path)
            configuration.resourcesDirectory = Self.checkout.path
            let server = try await PlatformServer.bootstrap(configuration, logger: quietLogger)
            try await server.application.test(.live) { client in
                try await client.execute(uri: "/portal/", method: .get) { response async throws in
                    #expect(response.status == .ok)
                }
            }
        }
    }

    @Test("the store is a service of the application: it is closed once the application stops, with no caller shutting it down")
    func storeClosesWithTheApplication() async throws {
        try await withTemporaryDirectory { directory async throws in
            let server = try await PlatformServer.bootstrap(testConfiguration(dataDirectory: directory.path), logger: quietLogger)
            try await server.application.test(.live) { client in
                try await client.execute(uri: "/readyz", method: .get) { response async throws in
                    #expect(response.status == .ok)
                }
                try await server.store.ping()
            }
            await #expect(throws: (any Error).self) { try await server.store.ping() }
        }
    }

    @Test("/version lists every module with what it does today; none is a shell any more (evidence was the last)")
    func versionDescribesEachModule() async throws {
        try await withTemporaryDirectory { directory async throws in
            try await withLiveServer(directory) { client, _ in
                try await client.execute(uri: "/version", method: .get) { response async throws in
                    let info = try decode(VersionInfo.self, from: response.body)
                    let modules = Dictionary(uniqueKeysWithValues: (info.modules ?? []).map { ($0.name, $0) })
                    #expect(Set(modules.keys) == ["iam", "audit", "metering", "status", "notification", "policy", "registry",
                                                  "evidence", "secrets", "artifacts", "runtime", "apps"])
                    for live in ["iam", "audit", "metering", "status", "registry", "secrets", "artifacts", "runtime", "apps", "notification", "policy",
                                 "evidence"] {
                        #expect(modules[live]?.summary.hasPrefix("shell") == false, "\(live)")
                    }
                    #expect(modules["metering"]?.summary.contains("double-entry ledger") == true)
                    #expect(modules["metering"]?.summary.contains("not built") == false)
                }
            }
        }
    }
}
