import ArtifactRegistry
import AuditService
import Foundation
import HTTPTypes
import IAMService
import OCIKit
import PlatformContracts
import PlatformServer
import PlatformTestKit
import RegistryService
import SecretsService
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

    /// A validator whose schema for one type got stricter after the evidence was attached.
    struct StricterValidator: EvidenceValidating {
        let types: [EvidenceTypeDefinition]
        let refused: String

        func validate(evidenceId: String, predicateType: String, predicate: [UInt8]) throws -> [String: String] {
            guard evidenceId != refused else {
                throw PlatformError(.evidenceInvalid, "\(evidenceId) evidence is refused: /: stricter schema", details: ["path": "/", "reason": "stricter schema"])
            }
            return [:]
        }
    }

    @Test("evidence that no longer validates stops counting at the next evaluation: reported invalid (evidence.invalid) and its gate unmet")
    func evidenceThatNoLongerValidatesStopsCounting() async throws {
        try await withRegistry(.sqlite) { registry in
            let (image, _) = try await registry.pushImage(tag: "v1")
            let key = SigningPrivateKey()
            _ = try await TrustTests.register(registry, key, name: "ci")
            #expect(try await TrustTests.pushEnvelope(registry, try TrustTests.provenance(registry, about: image.digest, key: key), subject: image)
                .status == .created)
            let ready = InTotoStatement(subject: registry.repository, digest: image.digest,
                                        predicateType: "https://platform.local/evidence/ready-within/v1", predicate: Data(#"{"seconds":12}"#.utf8))
            #expect(try await TrustTests.pushEnvelope(registry, DSSEEnvelope.sign(payload: try ready.encoded(), with: key), subject: image,
                                                      evidenceType: "ready-within").status == .created)

            let server = registry.iam.server
            let set = try RegistrySet.load(RegistryFiles(directory: RegistryTests.checkoutRegistries))
            func ledger(_ validator: (any EvidenceValidating)?) -> TrustLedger {
                TrustLedger(store: server.store, blobs: server.blobs, keys: SigningKeyStore(store: server.store, audit: server.audit),
                            identity: server.identity.authorizer, audit: server.audit, types: set.artifactTypes,
                            evidencePredicates: set.evidencePredicates, validator: validator)
            }
            let before = try await ledger(StricterValidator(types: set.evidenceTypes, refused: "none")).status(in: registry.project, digest: image.digest)
            #expect(before.gates.first { $0.to == .promotedStaging }?.satisfied == true)
            let after = try await ledger(StricterValidator(types: set.evidenceTypes, refused: "ready-within"))
                .status(in: registry.project, digest: image.digest)
            let report = try #require(after.evidence.first { $0.evidenceType == "ready-within" })
            #expect(!report.valid && report.code == .evidenceInvalid)
            let staging = try #require(after.gates.first { $0.to == .promotedStaging })
            #expect(!staging.satisfied && staging.missing.contains { $0.contains("ready-within") }, "\(staging.missing)")
        }
    }
}
