import Foundation
import HTTPTypes
import ManifestKit
import PlatformContracts
import PlatformServer
import PlatformTestKit
import RegistryService
import Testing

@Suite("App catalog")
struct AppCatalogTests {
    static let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("register validates on the server, versions are immutable, and registration is audited", arguments: ServerBackend.enabled)
    func register(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let (_, project, _, key) = try await fixture.makeProject(tenant: "acme", project: "p1", account: "dev", role: "developer",
                                                                   scopes: ["apps:catalog:register", "apps:catalog:read"])
            let hello = try String(contentsOf: Self.checkout.appendingPathComponent("manifests/apps/hello.yaml"), encoding: .utf8)
            let first = try await fixture.ok(.post, "/v1/projects/\(project.id)/apps", key: key.key,
                                             body: ["file": "hello.yaml", "manifest": hello], as: AppVersion.self)
            #expect(first.name == "hello" && first.version == "1.0.0" && first.digest.hasPrefix("sha256:"))
            #expect(first.registryVersions["scope"] == 4)
            let again = try await fixture.ok(.post, "/v1/projects/\(project.id)/apps", key: key.key,
                                             body: ["file": "hello.yaml", "manifest": hello], as: AppVersion.self)
            #expect(again == first)
            let changed = try await fixture.call(.post, "/v1/projects/\(project.id)/apps", key: key.key,
                                                 body: ["manifest": hello.replacingOccurrences(of: "default: Hello", with: "default: Hi")])
            #expect(changed.status == .conflict && changed.errorCode == "apps.version_exists")

            let listed = try await fixture.ok(.get, "/v1/projects/\(project.id)/apps", key: key.key, as: [AppVersion].self)
            #expect(listed.map(\.version) == ["1.0.0"])
            #expect(try await fixture.call(.get, "/v1/projects/\(project.id)/apps/nothing", key: key.key).errorCode == "apps.not_found")

            let records = try await fixture.ok(.get, "/v1/audit/records?action=apps.app.register", key: fixture.adminKey, as: [AuditRecord].self)
            #expect(records.count == 1 && records[0].project == project.id)
        }
    }

    @Test("an invalid manifest is refused with exactly the offline validator's diagnostics")
    func refusedWithSameDiagnostics() async throws {
        let registries = try RegistryFiles.at(Self.checkout.appendingPathComponent("manifests/platform"), setting: "the checkout")
        let offline = try registries.manifestValidator()
        let text = try String(contentsOf: Self.checkout.appendingPathComponent(
            "Tests/ManifestKitTests/Corpus/invalid/38-several-problems-at-once.yaml"), encoding: .utf8)
        let expected = offline.validate(text: text, file: "broken.yaml").diagnostics
        #expect(expected.count >= 3)
        try await withIAMServer(.sqlite) { fixture in
            let (_, project, _, key) = try await fixture.makeProject(tenant: "acme", project: "p1", account: "dev", role: "developer",
                                                                   scopes: ["apps:catalog:register"])
            let reply = try await fixture.call(.post, "/v1/projects/\(project.id)/apps", key: key.key, body: ["file": "broken.yaml", "manifest": text])
            #expect(reply.status == .badRequest && reply.errorCode == "manifest.invalid")
            struct Body: Decodable { struct Payload: Decodable { var diagnostics: [ManifestDiagnostic] }; var error: Payload }
            #expect(try reply.json(Body.self).error.diagnostics == expected)
        }
    }
}
