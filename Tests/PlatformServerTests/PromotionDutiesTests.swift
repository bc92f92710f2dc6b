import AuditService
import Foundation
import HTTPTypes
import OCIKit
import PlatformContracts
import PlatformTestKit
import Testing

/// Separation of duties in promotion (production needs `release:promote` and a passing release
/// decision), platform-wide service accounts, and revocation that demotes what it no longer
/// supports.
@Suite("Promotion duties and revocation effects")
struct PromotionDutiesTests {
    /// Pushes an image, registers a key, attaches provenance, ready-within and a scan signed by
    /// it, and promotes it to `promoted:staging` with the project key.
    static func stagedImage(_ registry: RegistryFixture) async throws -> (image: Descriptor, key: TrustedKey) {
        let (image, _) = try await registry.pushImage(tag: "v1")
        let signer = SigningPrivateKey()
        let key = try await TrustTests.register(registry, signer, name: "ci")
        #expect(try await TrustTests.pushEnvelope(registry, try TrustTests.provenance(registry, about: image.digest, key: signer),
                                                  subject: image).status == .created)
        for (type, predicate) in [("ready-within", #"{"seconds":12}"#),
                                  ("vulnerability-scan", #"{"scanner":"test","findings":[]}"#)] {
            let statement = InTotoStatement(subject: registry.repository, digest: image.digest,
                                            predicateType: "https://platform.local/evidence/\(type)/v1", predicate: Data(predicate.utf8))
            let reply = try await TrustTests.pushEnvelope(registry, DSSEEnvelope.sign(payload: try statement.encoded(), with: signer),
                                                          subject: image, evidenceType: type)
            #expect(reply.status == .created, "\(type): \(reply.errors)")
        }
        let staged = try await registry.iam.call(.post, "/v1/projects/\(registry.project.id)/artifacts/\(image.digest)/promote",
                                                 key: registry.key, body: ["to": "promoted:staging"])
        #expect(staged.status == .ok, "\(String(decoding: staged.body, as: UTF8.self))")
        return (image, key)
    }

    @Test("a project key cannot promote to production (release:promote), a platform key cannot without a passing release decision; both refusals audited",
          arguments: ServerBackend.enabled)
    func productionPromotionNeedsReleasePromoteAndADecision(backend: ServerBackend) async throws {
        try await withRegistry(backend) { registry in
            let (image, _) = try await Self.stagedImage(registry)
            let promote = "/v1/projects/\(registry.project.id)/artifacts/\(image.digest)/promote"

            let byProject = try await registry.iam.call(.post, promote, key: registry.key, body: ["to": "promoted:production"])
            #expect(byProject.status == .forbidden && byProject.errorCode == "iam.forbidden")
            #expect(String(decoding: byProject.body, as: UTF8.self).contains("release:promote"))

            let byPlatform = try await registry.iam.call(.post, promote, key: registry.iam.adminKey, body: ["to": "promoted:production"])
            #expect(byPlatform.status == .conflict && byPlatform.errorCode == "release.decision_required",
                    "\(String(decoding: byPlatform.body, as: UTF8.self))")

            let refusals = try await registry.iam.ok(.get, "/v1/audit/records?action=artifacts.promotion.refuse&limit=10",
                                                     key: registry.iam.adminKey, as: [AuditRecord].self)
            #expect(Set(refusals.compactMap { $0.details["code"] }) == ["iam.forbidden", "release.decision_required"])
            let status = try await registry.iam.ok(.get, "/v1/projects/\(registry.project.id)/artifacts/\(image.digest)", key: registry.key,
                                                   as: TrustTests.Status.self)
            #expect(status.state == "promoted:staging")
        }
    }

    @Test("revoking the signing key demotes the artifact to its effective state, audited, with an artifact.demoted notice",
          arguments: ServerBackend.enabled)
    func revokingTheSigningKeyDemotesItsArtifacts(backend: ServerBackend) async throws {
        try await withRegistry(backend) { registry in
            let (image, key) = try await Self.stagedImage(registry)
            _ = try await registry.iam.ok(.post, "/v1/projects/\(registry.project.id)/signingkeys/\(key.id)/revoke", key: registry.key,
                                          body: [:], as: TrustedKey.self)
            let status = try await registry.iam.ok(.get, "/v1/projects/\(registry.project.id)/artifacts/\(image.digest)", key: registry.key,
                                                   as: TrustTests.Status.self)
            #expect(status.state == "registered", "the recorded state follows the effective one down")

            let demotions = try await registry.iam.ok(.get, "/v1/audit/records?action=artifacts.trust.demote&limit=10",
                                                      key: registry.iam.adminKey, as: [AuditRecord].self)
            #expect(demotions.count == 1)
            #expect(demotions.first?.details["from"] == "promoted:staging" && demotions.first?.details["to"] == "registered")
            #expect(demotions.first?.details["cause"]?.contains(key.id) == true)

            var feed: [NotificationFeedItem] = []
            for _ in 0..<100 where !feed.contains(where: { $0.template == "artifact.demoted" }) {
                feed = try await registry.iam.ok(.get, "/v1/notifications", key: registry.key, as: [NotificationFeedItem].self)
                try await Task.sleep(for: .milliseconds(100))
            }
            let notice = try #require(feed.first { $0.template == "artifact.demoted" }, "\(feed.map(\.template))")
            #expect(notice.category == "security" && notice.subject.contains("demoted from promoted:staging to registered"))

            // A second revocation pass finds nothing more to demote.
            let other = try await TrustTests.register(registry, SigningPrivateKey(), name: "spare")
            _ = try await registry.iam.ok(.post, "/v1/projects/\(registry.project.id)/signingkeys/\(other.id)/revoke", key: registry.key,
                                          body: [:], as: TrustedKey.self)
            #expect(try await registry.iam.ok(.get, "/v1/audit/records?action=artifacts.trust.demote&limit=10",
                                              key: registry.iam.adminKey, as: [AuditRecord].self).count == 1)
        }
    }

    @Test("platform-wide service accounts: a platform key creates a platform-control account whose key promotes (scope-wise); tenant and project keys are refused",
          arguments: ServerBackend.enabled)
    func platformServiceAccountsNeedAPlatformKey(backend: ServerBackend) async throws {
        try await withRegistry(backend) { registry in
            let refused = try await registry.iam.call(.post, "/v1/serviceaccounts", key: registry.key,
                                                      body: ["name": "release-bot", "role": "platform-control"])
            #expect(refused.status == .forbidden, "\(String(decoding: refused.body, as: UTF8.self))")

            let wrongRole = try await registry.iam.call(.post, "/v1/serviceaccounts", key: registry.iam.adminKey,
                                                        body: ["name": "release-bot", "role": "project-admin"])
            #expect(wrongRole.status == .badRequest && wrongRole.errorCode == "iam.invalid_request")

            let account = try await registry.iam.ok(.post, "/v1/serviceaccounts", key: registry.iam.adminKey,
                                                    body: ["name": "release-bot", "role": "platform-control"], as: ServiceAccount.self)
            #expect(account.tenantId == nil && account.projectId == nil && account.role == "platform-control")
            let again = try await registry.iam.call(.post, "/v1/serviceaccounts", key: registry.iam.adminKey,
                                                    body: ["name": "release-bot", "role": "security-owner"])
            #expect(again.status == .conflict && again.errorCode == "iam.conflict", "platform-wide names are unique too")
            let issued = try await registry.iam.ok(.post, "/v1/keys", key: registry.iam.adminKey,
                                                   body: ["serviceAccount": account.id, "scopes": ["artifacts:trust:promote", "release:promote"],
                                                          "expiresInSeconds": 3600], as: IssuedKey.self)
            #expect(issued.info.tenantId == nil && issued.info.projectId == nil)
            // It holds no signing-key scope: platform control cannot vouch for what it promotes.
            let signing = try await registry.iam.call(.post, "/v1/keys", key: registry.iam.adminKey,
                                                      body: ["serviceAccount": account.id, "scopes": ["artifacts:signingkey:manage"],
                                                             "expiresInSeconds": 3600])
            #expect(signing.errorCode == "iam.scope_not_held")

            // Its key reaches the project's artifacts; without a decision production is still refused.
            let (image, _) = try await PromotionDutiesTests.stagedImage(registry)
            let promoted = try await registry.iam.call(.post, "/v1/projects/\(registry.project.id)/artifacts/\(image.digest)/promote",
                                                       key: issued.key, body: ["to": "promoted:production"])
            #expect(promoted.errorCode == "release.decision_required", "\(String(decoding: promoted.body, as: UTF8.self))")

            // security-owner is also assignable in a project.
            let owner = try await registry.iam.call(.post, "/v1/projects/\(registry.project.id)/serviceaccounts", key: registry.iam.adminKey,
                                                    body: ["name": "sec", "role": "security-owner"])
            #expect(owner.status == .created, "\(String(decoding: owner.body, as: UTF8.self))")
        }
    }
}
