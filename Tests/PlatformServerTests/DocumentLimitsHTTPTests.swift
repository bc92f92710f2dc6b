import Foundation
import HTTPTypes
import ManifestKit
import PlatformContracts
import PlatformServer
import PlatformTestKit
import Testing

/// Finding 2 of issue 15: a few hundred bytes of YAML aliases cost the server seconds and GBs.
@Suite("Document limits over HTTP")
struct DocumentLimitsHTTPTests {
    static func aliasBomb(levels: Int) -> String {
        var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1..<levels { lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]") }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("POST of a 9^10 alias bomb to the apps route is a 400 manifests.too_complex with the line:column, and the server stays up")
    func aliasBombPostedToAppsRouteIsRefused() async throws {
        try await withIAMServer(.sqlite) { fixture in
            let (_, project, _, key) = try await fixture.makeProject(tenant: "acme", project: "p1", account: "dev", role: "developer",
                                                                   scopes: ["apps:catalog:register", "apps:catalog:read"])
            let reply = try await fixture.call(.post, "/v1/projects/\(project.id)/apps", key: key.key,
                                               body: ["file": "bomb.yaml", "manifest": Self.aliasBomb(levels: 10)])
            #expect(reply.status == .badRequest)
            #expect(reply.errorCode == "manifests.too_complex")
            struct Body: Decodable {
                struct Payload: Decodable { var message: String; var diagnostics: [ManifestDiagnostic] }
                var error: Payload
            }
            let body = try reply.json(Body.self)
            #expect(body.error.message.hasPrefix("6:"))
            #expect(body.error.diagnostics.map(\.code) == ["manifests.too_complex"])
            #expect(body.error.diagnostics.first?.file == "bomb.yaml" && body.error.diagnostics.first?.line == 6)
            let listed = try await fixture.ok(.get, "/v1/projects/\(project.id)/apps", key: key.key, as: [AppVersion].self)
            #expect(listed.isEmpty)
        }
    }

    @Test("a JSON body nested deeper than 64 levels is a 400 manifests.too_complex, not decoded")
    func deeplyNestedJSONBodyIsRefused() async throws {
        try await withIAMServer(.sqlite) { fixture in
            let (_, project, _, key) = try await fixture.makeProject(tenant: "acme", project: "p1", account: "dev", role: "developer",
                                                                   scopes: ["apps:catalog:register"])
            var nested: any Sendable = "x"
            for _ in 0..<100 { nested = [nested] }
            let reply = try await fixture.call(.post, "/v1/projects/\(project.id)/apps", key: key.key,
                                               body: ["manifest": "a: 1\n", "file": nested])
            #expect(reply.status == .badRequest)
            #expect(reply.errorCode == "manifests.too_complex")
        }
    }
}
