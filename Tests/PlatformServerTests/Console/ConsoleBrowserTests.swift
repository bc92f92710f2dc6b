import Foundation
import NIOHTTP1
import PlatformContracts
import PlatformTestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The web console's four journeys in a real browser: a real `platformd` (local runc
/// adapter) with two tenants, gpu-echo published into tenant A's project and a production
/// release candidate nobody approved; then `scripts/console/browser_journeys.py` drives
/// headless Chromium (Selenium) as a developer of A (launch from the form, ready, Connect,
/// and, after B's attempts, stop), A's tenant admin (rotate a key, find it in audit search), an operator (open an
/// incident, see it on `/status`, see the release blocked by a missing approval) and a
/// developer of tenant B (A's URLs tried directly: error pages, no A names); each persona
/// then opens every page its navigation links to. axe-core runs on every console page; screenshots and `axe-results.json` land in `.build/console-screenshots/`.
@Suite("Console in headless Chromium: four personas' journeys (real platformd, runc, Selenium, axe-core)", .serialized, .tags(.integration))
struct ConsoleBrowserTests {
    static let root = InstanceProcessTests.root
    static let screenshots = root.appendingPathComponent(".build/console-screenshots")

    /// What the personas and the fixtures are called; the script checks B never sees these A names.
    static let tenantA = "tenant-alpha", projectA = "alpha-apps", tenantB = "tenant-bravo", projectB = "bravo-apps"

    @Test("developer launches, watches ready, connects and stops; admin rotates and audits; operator incident, /status, blocked release; B refused A; axe clean")
    func journeys() async throws {
        try await withTemporaryDirectory { directory async throws in
            let daemon = try await InstanceProcessTests.startDaemon(directory, cluster: nil, round: 0)
            do {
                try await scenario(daemon, directory: directory)
            } catch {
                daemon.process.signal(SIGKILL)
                await InstanceProcessTests.killContainers(directory)
                throw error
            }
            daemon.process.signal(SIGKILL)
            await InstanceProcessTests.killContainers(directory)
        }
    }

    func scenario(_ daemon: RegistryProcessTests.Daemon, directory: TemporaryDirectory) async throws {
        let keysFile = try await prepare(daemon, directory: directory)
        try? FileManager.default.removeItem(at: Self.screenshots)
        let script = try ChildProcess("/usr/bin/env", [
            "python3", Self.root.appendingPathComponent("scripts/console/browser_journeys.py").path,
            daemon.base, Self.screenshots.path, "--keys", keysFile,
        ], outputPath: directory.appending("journeys.log").path)
        let status = await script.wait(timeout: .seconds(540))
        if status == nil { script.signal(SIGKILL) }
        let output = script.output
        #expect(status == 0, "\(output)")
        for line in [
            "journey developer: instance page shows phase ready", "journey developer: the proxied app answers",
            "journey developer: instance stopped", "journey developer: keyboard on launch form",
            "journey admin: the new key is shown once in code#issued-key", "journey admin: audit search for iam.key.rotate finds the rotation",
            "journey operator: the incident is on the public /status page", "journey operator: a gate is blocked by a missing approval",
            "journey isolation: GET A's instance page refused", "journey isolation: POST A's stop with B's CSRF token refused",
            "journey isolation: GET the keys page for A's tenant refused", "journey isolation: POST A's stop without a CSRF token refused",
            "journey developer: the instance is still ready after tenant B's stop attempts",
            "journey developer: every nav page loads, has one h1 and passes axe", "journey admin: every nav page loads, has one h1 and passes axe",
            "journey operator: every nav page loads, has one h1 and passes axe",
            "journey developer: PASS", "journey admin: PASS", "journey operator: PASS", "journey isolation: PASS",
            "summary: 4/4 journeys passed",
        ] {
            #expect(output.contains(line), "missing \(line.debugDescription) in:\n\(output)")
        }

        // A screenshot per page, each a real PNG.
        let shots = try FileManager.default.contentsOfDirectory(atPath: Self.screenshots.path).filter { $0.hasSuffix(".png") }.sorted()
        #expect(shots.count >= 45, "\(shots)")
        for journey in ["developer", "admin", "operator", "isolation"] {
            #expect(shots.contains { $0.contains("-\(journey)-") }, "no screenshot of the \(journey) journey: \(shots)")
        }
        for name in shots {
            let png = try Data(contentsOf: Self.screenshots.appendingPathComponent(name))
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) && png.count > 5_000, "\(name): \(png.count) bytes")
        }

        // axe-core ran on every console page: zero serious or critical violations.
        struct AxeResults: Decodable {
            struct Page: Decodable { var url: String; var page: String; var axe: String?; var violations: [String: [Violation]] }
            struct Violation: Decodable { var id: String }
            var pages: [Page]
        }
        let axe = try JSONDecoder().decode(AxeResults.self, from: Data(contentsOf: Self.screenshots.appendingPathComponent("axe-results.json")))
        let checked = axe.pages.filter { $0.axe == nil }
        #expect(checked.count >= 40, "\(axe.pages.map(\.url))")
        #expect(Set(checked.map(\.page)).isSuperset(of: ["sign-in", "home", "launch-form", "instance-ready", "keys", "audit-results",
                                                          "status", "release-gates", "a-instance", "nav-usage-and-cost", "nav-quotas-and-budgets",
                                                          "nav-maintenance", "nav-artifacts", "nav-all-instances"]), "\(checked.map(\.page))")
        for page in checked {
            let blocking = ["serious", "critical"].flatMap { page.violations[$0] ?? [] }.map(\.id)
            #expect(blocking.isEmpty, "\(page.url): \(blocking)")
        }
    }

    /// Tenants A and B, a project each, the four personas' keys (with their roles' scopes), a
    /// key for A's tenant admin to rotate, gpu-echo published into A's project and a production
    /// release candidate with no approval; returns the keys file the script reads.
    func prepare(_ daemon: RegistryProcessTests.Daemon, directory: TemporaryDirectory) async throws -> String {
        func create<T: Decodable>(_ type: T.Type, _ path: String, _ body: [String: Any]) async throws -> T {
            let (status, _, data) = try await daemon.call(.POST, path, body: try JSONSerialization.data(withJSONObject: body))
            return try #require(try? JSONDecoder().decode(T.self, from: data), "POST \(path): \(status) \(String(decoding: data, as: UTF8.self))")
        }
        func key(_ account: ServiceAccount, scopes: [String]) async throws -> IssuedKey {
            try await create(IssuedKey.self, "/v1/keys", ["serviceAccount": account.id, "scopes": scopes, "expiresInSeconds": 86_400])
        }
        let tenantA = try await create(Tenant.self, "/v1/tenants", ["name": Self.tenantA])
        let projectA = try await create(Project.self, "/v1/tenants/\(tenantA.id)/projects", ["name": Self.projectA])
        let tenantB = try await create(Tenant.self, "/v1/tenants", ["name": Self.tenantB])
        let projectB = try await create(Project.self, "/v1/tenants/\(tenantB.id)/projects", ["name": Self.projectB])
        let developerA = try await create(ServiceAccount.self, "/v1/projects/\(projectA.id)/serviceaccounts", ["name": "alpha-dev", "role": "developer"])
        let developerB = try await create(ServiceAccount.self, "/v1/projects/\(projectB.id)/serviceaccounts", ["name": "bravo-dev", "role": "developer"])
        let adminA = try await create(ServiceAccount.self, "/v1/tenants/\(tenantA.id)/serviceaccounts", ["name": "alpha-admin", "role": "tenant-admin"])
        let operatorAccount = try await create(ServiceAccount.self, "/v1/serviceaccounts", ["name": "console-operator", "role": "platform-control"])
        let bot = try await create(ServiceAccount.self, "/v1/projects/\(projectA.id)/serviceaccounts", ["name": "alpha-ci-bot", "role": "viewer"])
        let rotated = try await key(bot, scopes: ["apps:instance:read"])

        // gpu-echo into A's project through staging; `--to production` then opens the release
        // candidate and stops (exit 3): nobody has approved it.
        let session = InstanceProcessTests.Session(daemon: daemon, project: projectA.id, directory: directory, cluster: nil)
        try FileManager.default.createDirectory(at: directory.appending("home"), withIntermediateDirectories: true)
        var environment = session.environment
        environment["APPCTL"] = InstanceProcessTests.appctl
        let publish = try ChildProcess("/bin/bash", [
            Self.root.appendingPathComponent("examples/gpu-echo/publish.sh").path, "--project", projectA.id,
            "--key", directory.appending("signing.pem").path, "--to", "production",
        ], environment: environment, outputPath: directory.appending("publish.log").path)
        try #require(await publish.wait(timeout: .seconds(240)) == 3, "\(publish.output)")
        let (_, releases) = try await session.json([Release].self, .GET, "/v1/projects/\(projectA.id)/releases")
        let release = try #require(releases?.first { $0.environment == "production" }, "\(String(describing: releases))")

        let developerKeyA = try await key(developerA, scopes: try Self.scopes(of: "developer"))
        let developerKeyB = try await key(developerB, scopes: try Self.scopes(of: "developer"))
        let adminKeyA = try await key(adminA, scopes: try Self.scopes(of: "tenant-admin"))
        let operatorKey = try await key(operatorAccount, scopes: try Self.scopes(of: "platform-control"))
        let keys: [String: Any] = [
            "developerA": developerKeyA.key, "developerB": developerKeyB.key, "adminA": adminKeyA.key, "operator": operatorKey.key,
            "tenantA": ["id": tenantA.id, "name": tenantA.name], "projectA": ["id": projectA.id, "name": projectA.name],
            "tenantB": ["id": tenantB.id, "name": tenantB.name], "projectB": ["id": projectB.id, "name": projectB.name],
            "app": ["name": "gpu-echo", "version": "1.0.0"], "environment": "staging",
            "rotateKey": rotated.info.id, "release": ["project": projectA.id, "id": release.id],
        ]
        let path = directory.appending("console-keys.json").path
        try JSONSerialization.data(withJSONObject: keys, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A role's scopes as the scope registry (`manifests/platform/scopes.yaml`) lists them: a
    /// persona's key carries exactly what its role holds.
    static func scopes(of role: String) throws -> [String] {
        let text = try String(contentsOf: root.appendingPathComponent("manifests/platform/scopes.yaml"), encoding: .utf8)
        guard let entry = text.range(of: "role_id: \(role)\n"),
              let open = text.range(of: "scopes: [", range: entry.upperBound..<text.endIndex),
              let close = text.range(of: "]", range: open.upperBound..<text.endIndex)
        else { throw TestImageError(message: "role \(role) not in scopes.yaml") }
        return text[open.upperBound..<close.lowerBound].split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }
}
