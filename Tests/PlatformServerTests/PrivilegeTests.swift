import Foundation
import HTTPTypes
import OCIKit
import PlatformContracts
import PlatformTestKit
import Testing

/// Privilege edges found by probing: keys minting broader keys, ids in the other case, and
/// who may lift a quarantine.
@Suite("Privilege boundaries")
struct PrivilegeTests {
    @Test("a key creates or rotates only into scopes it holds itself", arguments: ServerBackend.enabled)
    func keysMintNoMoreThanTheyHold(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let (_, _, account, full) = try await fixture.makeProject(tenant: "acme", project: "p1", account: "ops")
            func key(_ scopes: [String], by creator: String) async throws -> IAMFixture.Reply {
                try await fixture.call(.post, "/v1/keys", key: creator,
                                       body: ["serviceAccount": account.id, "scopes": scopes, "expiresInSeconds": 3600])
            }
            let creator = try await key(["iam:key:create"], by: full.key).json(IssuedKey.self)
            // The account holds artifacts:trust:promote, the calling key does not.
            let minted = try await key(["artifacts:trust:promote"], by: creator.key)
            #expect(minted.status == .badRequest && minted.errorCode == "iam.scope_not_held",
                    "\(minted.status) \(String(decoding: minted.body, as: UTF8.self))")
            #expect(try await key(["iam:key:create"], by: creator.key).status == .created, "within its own scopes it may")

            // Rotating hands over the replacement's secret: a rotate-only key may not rotate a fuller one.
            let rotator = try await key(["iam:key:rotate"], by: full.key).json(IssuedKey.self)
            let stolen = try await fixture.call(.post, "/v1/keys/\(full.info.id)/rotate", key: rotator.key, body: ["overlapSeconds": 60])
            #expect(stolen.status == .badRequest && stolen.errorCode == "iam.scope_not_held",
                    "\(stolen.status) \(String(decoding: stolen.body, as: UTF8.self))")
            #expect(!String(decoding: stolen.body, as: UTF8.self).contains("pfk_"), "no secret in the refusal")
            let keys = try await fixture.ok(.get, "/v1/keys", key: fixture.adminKey, as: [APIKeyInfo].self)
            #expect(keys.first { $0.id == full.info.id }?.replacedBy == nil, "the fuller key was not rotated")
            let own = try await fixture.call(.post, "/v1/keys/\(rotator.info.id)/rotate", key: rotator.key, body: ["overlapSeconds": 0])
            #expect(own.status == .created, "a key may rotate itself: \(own.status) \(String(decoding: own.body, as: UTF8.self))")
        }
    }

    @Test("every id-taking route answers alike for a ULID in either case; names cannot look like ids", arguments: ServerBackend.enabled)
    func idsAreCaseInsensitiveEverywhere(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let (tenant, project, account, key) = try await fixture.makeProject(tenant: "acme", project: "p1", account: "ops")
            let spare = try await fixture.ok(.post, "/v1/projects/\(project.id)/serviceaccounts", key: key.key,
                                             body: ["name": "spare", "role": "viewer"], as: ServiceAccount.self)
            let paths = [
                "/v1/tenants/\(tenant.id)/projects", "/v1/tenants/\(tenant.id)/serviceaccounts",
                "/v1/projects/\(project.id)/serviceaccounts", "/v1/projects/\(project.id)/apps",
                "/v1/projects/\(project.id)/signingkeys", "/v1/projects/\(project.id)/artifacts",
                "/v1/projects/\(project.id)/instances", "/v1/projects/\(project.id)/connect-sessions",
            ]
            for path in paths {
                let upper = try await fixture.call(.get, path, key: fixture.adminKey)
                let lower = try await fixture.call(.get, path.lowercased(), key: fixture.adminKey)
                #expect(upper.status == .ok && lower.status == upper.status && lower.body == upper.body,
                        "\(path): \(upper.status) vs \(lower.status) \(String(decoding: lower.body, as: UTF8.self))")
            }
            // A change through a lowercase id takes effect, not just a lookup.
            let deleted = try await fixture.call(.delete, "/v1/projects/\(project.id.lowercased())/serviceaccounts/\(spare.id.lowercased())",
                                                 key: key.key)
            #expect(deleted.status == .noContent, "\(deleted.status) \(String(decoding: deleted.body, as: UTF8.self))")
            let remaining = try await fixture.ok(.get, "/v1/projects/\(project.id)/serviceaccounts", key: key.key, as: [ServiceAccount].self)
            #expect(remaining.map(\.id) == [account.id])

            // Ids in bodies too: a key for the account named by its lowercase id.
            let viaLowercase = try await fixture.call(.post, "/v1/keys", key: key.key, body: [
                "serviceAccount": account.id.lowercased(), "scopes": ["iam:project:read"], "expiresInSeconds": 3600])
            #expect(viaLowercase.status == .created, "\(viaLowercase.status) \(String(decoding: viaLowercase.body, as: UTF8.self))")

            let ambiguous = try await fixture.call(.post, "/v1/tenants/\(tenant.id)/projects", key: fixture.adminKey,
                                                   body: ["name": ULID().description.lowercased()])
            #expect(ambiguous.status == .badRequest && ambiguous.errorCode == "iam.invalid_request")
        }
    }

    @Test("a quarantine set by platform control is lifted only by a platform-wide key; a project's own by the project",
          arguments: ServerBackend.enabled)
    func quarantineReleasedOnlyByItsReach(backend: ServerBackend) async throws {
        try await withRegistry(backend) { registry in
            let (image, _) = try await registry.pushImage(tag: "v1")
            let promote = "/v1/projects/\(registry.project.id)/artifacts/\(image.digest)/promote"
            #expect(try await registry.iam.call(.post, promote, key: registry.iam.adminKey, body: ["to": "quarantined"]).status == .ok)
            let lifted = try await registry.iam.call(.post, promote, key: registry.key, body: ["to": "registered"])
            #expect(lifted.status == .conflict && lifted.errorCode == "artifacts.transition_invalid",
                    "\(lifted.status) \(String(decoding: lifted.body, as: UTF8.self))")
            let held = try await registry.iam.ok(.get, "/v1/projects/\(registry.project.id)/artifacts/\(image.digest)", key: registry.key,
                                                 as: ArtifactStatus.self)
            #expect(held.state == .quarantined && held.heldBy == "platform")
            #expect(try await registry.iam.call(.post, promote, key: registry.iam.adminKey, body: ["to": "registered"]).status == .ok)

            #expect(try await registry.iam.call(.post, promote, key: registry.key, body: ["to": "quarantined"]).status == .ok)
            let own = try await registry.iam.call(.post, promote, key: registry.key, body: ["to": "registered"])
            #expect(own.status == .ok, "\(String(decoding: own.body, as: UTF8.self))")
        }
    }
}
