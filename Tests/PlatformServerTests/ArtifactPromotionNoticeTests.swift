import AuditService
import Foundation
import HTTPTypes
import OCIKit
import PlatformContracts
import PlatformServer
import PlatformStore
import PlatformTestKit
import SQLKit
import Testing

/// `artifact.promoted` (issue 18 point 10) is written in the promotion's transaction, to the
/// promoter, only for a promotion that happened.
@Suite("Artifact promotion notices in the outbox")
struct ArtifactPromotionNoticeTests {
    static func promotionNotices(_ store: SQLStore) async throws -> [(dedupeKey: String, event: NotificationEvent)] {
        try await store.read { db in
            try await db.raw("""
                SELECT dedupe_key, payload FROM outbox_intents WHERE topic = \(bind: NotificationEvent.topic) ORDER BY event_id
                """).all()
        }.compactMap { row in
            let event = try JSONDecoder().decode(NotificationEvent.self, from: Data(try row.decode(column: "payload", as: String.self).utf8))
            guard event.template == "artifact.promoted" else { return nil }
            return (try row.decode(column: "dedupe_key", as: String.self), event)
        }
    }

    @Test("a promotion to staging writes one artifact.promoted to the promoter; verification, refusals and a repeat write none",
          arguments: ServerBackend.enabled)
    func promotionWritesOneNotice(backend: ServerBackend) async throws {
        try await withRegistry(backend) { registry in
            let store = registry.iam.server.store
            let (image, _) = try await registry.pushImage(tag: "v1")
            let key = SigningPrivateKey()
            _ = try await TrustTests.register(registry, key, name: "ci")
            #expect(try await TrustTests.pushEnvelope(registry, try TrustTests.provenance(registry, about: image.digest, key: key),
                                                      subject: image).status == .created)
            let promote = "/v1/projects/\(registry.project.id)/artifacts/\(image.digest)/promote"
            let blocked = try await registry.iam.call(.post, promote, key: registry.key, body: ["to": "promoted:staging"])
            #expect(blocked.errorCode == "artifacts.promotion_blocked")
            #expect(try await Self.promotionNotices(store).isEmpty, "verification and a refused promotion announce nothing")

            let ready = InTotoStatement(subject: registry.repository, digest: image.digest,
                                        predicateType: "https://platform.local/evidence/ready-within/v1", predicate: Data(#"{"seconds":12}"#.utf8))
            #expect(try await TrustTests.pushEnvelope(registry, DSSEEnvelope.sign(payload: try ready.encoded(), with: key), subject: image,
                                                      evidenceType: "ready-within").status == .created)
            #expect(try await registry.iam.call(.post, promote, key: registry.key, body: ["to": "promoted:staging"]).status == .ok)
            #expect(try await registry.iam.call(.post, promote, key: registry.key, body: ["to": "promoted:staging"]).status == .ok)

            let notices = try await Self.promotionNotices(store)
            try #require(notices.count == 1, "\(notices)")
            let transitions = try await registry.iam.ok(.get, "/v1/audit/records?action=artifacts.trust.transition",
                                                        key: registry.iam.adminKey, as: [AuditRecord].self)
            let promoter = try #require(transitions.first { $0.details["to"] == "promoted:staging" }?.actor)
            let notice = notices[0]
            #expect(notice.dedupeKey == "artifact.promoted/\(registry.project.id)/\(image.digest)/promoted:staging")
            #expect(notice.event.recipients == [promoter])
            #expect(notice.event.project == registry.project.id && notice.event.tenant == registry.project.tenantId)
            #expect(notice.event.variables == ["artifact": "\(registry.repository):v1", "digest": image.digest.description,
                                               "trust_state": "promoted:staging"])
        }
    }
}
