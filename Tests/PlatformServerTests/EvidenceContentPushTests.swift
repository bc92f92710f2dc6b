import AuditService
import Foundation
import HTTPTypes
import OCIKit
import PlatformContracts
import PlatformTestKit
import Testing

/// Evidence content is checked when it is pushed as an OCI referrer, not only its signature:
/// a "vulnerability-scan" without findings is refused and audited, and the production gate
/// reads a scan's severity from its findings.
@Suite("Evidence content at push")
struct EvidenceContentPushTests {
    struct Status: Decodable {
        struct Gate: Decodable { var to: String; var satisfied: Bool; var missing: [String] }
        var gates: [Gate]
        var production: Gate? { gates.first { $0.to == "promoted:production" } }
    }

    static func scan(_ registry: RegistryFixture, about digest: ContentDigest, _ predicate: String, key: SigningPrivateKey) throws -> DSSEEnvelope {
        let statement = InTotoStatement(subject: registry.repository, digest: digest,
                                        predicateType: "https://platform.local/evidence/vulnerability-scan/v1", predicate: Data(predicate.utf8))
        return DSSEEnvelope.sign(payload: try statement.encoded(), with: key)
    }

    @Test("a signed vulnerability scan without findings is refused at push (evidence.invalid, audited, not stored); a critical finding blocks the production gate until a newer clean scan",
          arguments: ServerBackend.enabled)
    func schemaInvalidScanIsRefusedAtPush(backend: ServerBackend) async throws {
        try await withRegistry(backend) { registry in
            let (image, _) = try await registry.pushImage(tag: "v1")
            let key = SigningPrivateKey()
            _ = try await TrustTests.register(registry, key, name: "ci")
            #expect(try await TrustTests.pushEnvelope(registry, try TrustTests.provenance(registry, about: image.digest, key: key), subject: image)
                .status == .created)

            let empty = try Self.scan(registry, about: image.digest, #"{"scanner":"example","target":"app"}"#, key: key)
            let refused = try await TrustTests.pushEnvelope(registry, empty, subject: image, evidenceType: "vulnerability-scan")
            #expect(refused.status == .unprocessableContent && refused.platformCode == "evidence.invalid", "\(refused.errors)")
            #expect(refused.errors.first?.message.contains("findings") == true, "\(refused.errors)")
            let rejections = try await registry.iam.ok(.get, "/v1/audit/records?action=artifacts.signature.reject&limit=100",
                                                       key: registry.iam.adminKey, as: [AuditRecord].self)
            #expect(rejections.contains { $0.details["code"] == "evidence.invalid" && $0.details["reason"]?.contains("findings") == true })
            let referrers = try JSONDecoder().decode(ManifestDocument.self, from: try await registry.call(.get, "referrers/\(image.digest)").body)
            #expect(referrers.manifests?.count == 1, "only the provenance is stored")

            let path = "/v1/projects/\(registry.project.id)/artifacts/\(image.digest)"
            let critical = try Self.scan(registry, about: image.digest,
                                         #"{"scanner":"trivy","highest_severity":"none","findings":[{"id":"CVE-2024-1","severity":"CRITICAL"}]}"#, key: key)
            #expect(try await TrustTests.pushEnvelope(registry, critical, subject: image, evidenceType: "vulnerability-scan").status == .created)
            let blocked = try await registry.iam.ok(.get, path, key: registry.key, as: Status.self)
            #expect(blocked.production?.missing.contains { $0.contains("vulnerability-scan reports critical findings") } == true,
                    "\(blocked.production?.missing ?? [])")

            // Referrers are ordered by their push time (milliseconds): keep the two pushes apart.
            try await Task.sleep(for: .milliseconds(20))
            let clean = try Self.scan(registry, about: image.digest, #"{"scanner":"trivy","findings":[{"id":"CVE-2024-2","severity":"low"}]}"#, key: key)
            #expect(try await TrustTests.pushEnvelope(registry, clean, subject: image, evidenceType: "vulnerability-scan").status == .created)
            let cleared = try await registry.iam.ok(.get, path, key: registry.key, as: Status.self)
            #expect(cleared.production?.missing.contains { $0.contains("critical findings") } == false, "\(cleared.production?.missing ?? [])")
        }
    }
}
