import AuditService
import Foundation
import HTTPTypes
import OCIKit
import PlatformContracts
import PlatformTestKit
import Testing

@Suite("Artifact signatures, trust states and promotion")
struct TrustTests {
    /// Pushes a DSSE envelope as a referrer of `subject`.
    static func pushEnvelope(_ registry: RegistryFixture, _ envelope: DSSEEnvelope, subject: Descriptor,
                             evidenceType: String? = nil) async throws -> RegistryFixture.Reply {
        let blob = try await registry.pushBlob(try JSONEncoder().encode(envelope), mediaType: MediaType.dsseEnvelope)
        let empty = try await registry.pushBlob(Data("{}".utf8), mediaType: MediaType.empty)
        let manifest = try JSONEncoder().encode(ManifestDocument(
            artifactType: MediaType.dsseEnvelope, config: empty, layers: [blob], subject: subject,
            annotations: evidenceType.map { [Annotation.evidenceType: $0] }))
        return try await registry.call(.put, "manifests/\(RegistryFixture.digest(manifest))", body: manifest,
                                       headers: ["Content-Type": MediaType.imageManifest])
    }

    static func provenance(_ registry: RegistryFixture, about digest: ContentDigest, key: SigningPrivateKey) throws -> DSSEEnvelope {
        let predicate = try InTotoStatement.provenance(sourceRepository: "https://git.example/app", commit: "0a1b2c3", builder: "test")
        let statement = InTotoStatement(subject: registry.repository, digest: digest, predicateType: InTotoStatement.slsaProvenance, predicate: predicate)
        return DSSEEnvelope.sign(payload: try statement.encoded(), with: key)
    }

    static func register(_ registry: RegistryFixture, _ key: SigningPrivateKey, name: String) async throws -> TrustedKey {
        try await registry.iam.ok(.post, "/v1/projects/\(registry.project.id)/signingkeys", key: registry.key,
                                  body: ["name": name, "publicKeyPEM": key.publicKey.pem], as: TrustedKey.self)
    }

    struct Status: Decodable {
        struct Attestation: Decodable { var kind: String; var keyId: String?; var valid: Bool; var code: String?; var evidenceType: String? }
        struct Source: Decodable { var repository: String; var commit: String }
        var state: String
        var signatures: [Attestation]
        var provenance: Source?
    }

    @Test("tampered payload, wrong digest, unknown key and revoked key are refused with their codes and audited; a good signature verifies the artifact",
          arguments: ServerBackend.enabled)
    func signatureRefusals(backend: ServerBackend) async throws {
        try await withRegistry(backend) { registry in
            let (image, _) = try await registry.pushImage(tag: "v1")
            let trusted = SigningPrivateKey()
            let retired = SigningPrivateKey()
            _ = try await Self.register(registry, trusted, name: "ci")
            let revokedKey = try await Self.register(registry, retired, name: "old")
            _ = try await registry.iam.ok(.post, "/v1/projects/\(registry.project.id)/signingkeys/\(revokedKey.id)/revoke", key: registry.key,
                                          body: [:], as: TrustedKey.self)

            var tampered = try Self.provenance(registry, about: image.digest, key: trusted)
            var payload = try tampered.payloadBytes()
            payload[payload.count - 2] ^= 0x01
            tampered.payload = payload.base64EncodedString()
            let other = RegistryFixture.digest(Data("another image".utf8))
            let cases: [(DSSEEnvelope, String)] = [
                (tampered, "artifacts.signature_invalid"),
                (try Self.provenance(registry, about: other, key: trusted), "artifacts.signature_subject_mismatch"),
                (try Self.provenance(registry, about: image.digest, key: SigningPrivateKey()), "artifacts.signature_key_unknown"),
                (try Self.provenance(registry, about: image.digest, key: retired), "artifacts.signature_key_revoked"),
            ]
            for (envelope, code) in cases {
                let reply = try await Self.pushEnvelope(registry, envelope, subject: image)
                #expect(reply.status == .forbidden && reply.ociCode == "DENIED" && reply.platformCode == code, "\(code): \(reply.errors)")
            }
            let rejections = try await registry.iam.ok(.get, "/v1/audit/records?action=artifacts.signature.reject&limit=100", key: registry.iam.adminKey,
                                                       as: [AuditRecord].self)
            #expect(Set(rejections.compactMap { $0.details["code"] }) == Set(cases.map(\.1)))
            let refused = try await registry.call(.get, "referrers/\(image.digest)")
            #expect(try JSONDecoder().decode(ManifestDocument.self, from: refused.body).manifests?.isEmpty == true, "refused signatures are not stored")

            let good = try await Self.pushEnvelope(registry, try Self.provenance(registry, about: image.digest, key: trusted), subject: image)
            #expect(good.status == .created)
            let status = try await registry.iam.ok(.get, "/v1/projects/\(registry.project.id)/artifacts/\(image.digest)", key: registry.key, as: Status.self)
            #expect(status.state == "verified")
            #expect(status.signatures.first?.keyId == trusted.publicKey.keyID && status.signatures.first?.valid == true)
            #expect(status.provenance?.repository == "https://git.example/app" && status.provenance?.commit == "0a1b2c3")
            let transitions = try await registry.iam.ok(.get, "/v1/audit/records?action=artifacts.trust.transition", key: registry.iam.adminKey,
                                                        as: [AuditRecord].self)
            #expect(transitions.contains { $0.details["to"] == "verified" })
        }
    }

    @Test("promotion needs the gate's evidence, lists what is missing, keeps the digest; quarantine gates pulls but not signers",
          arguments: ServerBackend.enabled)
    func promotionAndGating(backend: ServerBackend) async throws {
        try await withRegistry(backend) { registry in
            let (image, bytes) = try await registry.pushImage(tag: "v1")
            let key = SigningPrivateKey()
            let registered = try await Self.register(registry, key, name: "ci")
            #expect(try await Self.pushEnvelope(registry, try Self.provenance(registry, about: image.digest, key: key), subject: image).status == .created)
            let promote = "/v1/projects/\(registry.project.id)/artifacts/\(image.digest)/promote"
            let blocked = try await registry.iam.call(.post, promote, key: registry.key, body: ["to": "promoted:staging"])
            #expect(blocked.status == .conflict && blocked.errorCode == "artifacts.promotion_blocked")
            #expect(String(decoding: blocked.body, as: UTF8.self).contains("ready-within"))
            // Production is platform control's: a project key is refused for its authority before any transition rule.
            let skipping = try await registry.iam.call(.post, promote, key: registry.key, body: ["to": "promoted:production"])
            #expect(skipping.status == .forbidden && skipping.errorCode == "iam.forbidden")
            let refusals = try await registry.iam.ok(.get, "/v1/audit/records?action=artifacts.promotion.refuse", key: registry.iam.adminKey,
                                                     as: [AuditRecord].self)
            #expect(refusals.count == 2 && refusals.first?.details["missing"]?.contains("ready-within") == true)

            // Evidence of an unknown type is refused; a signed ready-within statement satisfies the gate.
            let ready = InTotoStatement(subject: registry.repository, digest: image.digest,
                                        predicateType: "https://platform.local/evidence/ready-within/v1", predicate: Data(#"{"seconds":12}"#.utf8))
            let envelope = DSSEEnvelope.sign(payload: try ready.encoded(), with: key)
            #expect(try await Self.pushEnvelope(registry, envelope, subject: image, evidenceType: "made-up").platformCode == "artifacts.evidence_type_unknown")
            #expect(try await Self.pushEnvelope(registry, envelope, subject: image, evidenceType: "ready-within").status == .created)
            let staged = try await registry.iam.call(.post, promote, key: registry.key, body: ["to": "promoted:staging"])
            #expect(staged.status == .ok, "\(String(decoding: staged.body, as: UTF8.self))")
            #expect(try await registry.call(.get, "manifests/v1").body == bytes, "promotion is digest-preserving")
            #expect(try JSONDecoder().decode(ManifestDocument.self, from: try await registry.call(.get, "referrers/\(image.digest)").body)
                .manifests?.count == 2, "referrers stay attached")

            // Quarantine: a pull-only key is refused, a signer (push scope) can still read the manifest.
            #expect(try await registry.iam.call(.post, promote, key: registry.key, body: ["to": "quarantined"]).status == .ok)
            let account = try await registry.iam.ok(.post, "/v1/projects/\(registry.project.id)/serviceaccounts", key: registry.iam.adminKey,
                                                    body: ["name": "puller", "role": "viewer"], as: ServiceAccount.self)
            let pullKey = try await registry.iam.ok(.post, "/v1/keys", key: registry.iam.adminKey,
                                                    body: ["serviceAccount": account.id, "scopes": ["artifacts:repository:pull"], "expiresInSeconds": 3600],
                                                    as: IssuedKey.self)
            let gated = try await registry.with(key: pullKey.key).call(.get, "manifests/v1")
            #expect(gated.status == .forbidden && gated.platformCode == "artifacts.pull_gated")
            #expect(try await registry.call(.get, "manifests/v1").status == .ok)

            // Revoking the key makes its signatures stop counting.
            _ = try await registry.iam.ok(.post, "/v1/projects/\(registry.project.id)/signingkeys/\(registered.id)/revoke", key: registry.key,
                                          body: [:], as: TrustedKey.self)
            let after = try await registry.iam.ok(.get, "/v1/projects/\(registry.project.id)/artifacts/\(image.digest)", key: registry.key, as: Status.self)
            #expect(after.signatures.allSatisfy { !$0.valid && $0.code == "artifacts.signature_key_revoked" })
        }
    }

    @Test("cosign simple-signing signatures verify against the project's keys")
    func cosign() async throws {
        try await withRegistry(.sqlite) { registry in
            let (image, _) = try await registry.pushImage(tag: "v1")
            let key = SigningPrivateKey()
            _ = try await Self.register(registry, key, name: "cosign")
            func push(_ payload: Data, signature: Data) async throws -> RegistryFixture.Reply {
                let layer = try await registry.pushBlob(payload, mediaType: MediaType.cosignSimpleSigning)
                var annotated = layer
                annotated.annotations = [Annotation.cosignSignature: signature.base64EncodedString()]
                let config = try await registry.pushBlob(Data("{}".utf8), mediaType: MediaType.imageConfig)
                let manifest = try JSONEncoder().encode(ManifestDocument(config: config, layers: [annotated]))
                return try await registry.call(.put, "manifests/\(CosignSimpleSigning.signatureTag(for: image.digest))", body: manifest,
                                               headers: ["Content-Type": MediaType.imageManifest])
            }
            let payload = CosignSimpleSigning.payload(reference: registry.repository, digest: image.digest)
            let forged = try await push(payload, signature: SigningPrivateKey().sign(payload))
            #expect(forged.platformCode == "artifacts.signature_key_unknown")
            #expect(try await push(payload, signature: key.sign(payload)).status == .created)
            let status = try await registry.iam.ok(.get, "/v1/projects/\(registry.project.id)/artifacts/\(image.digest)", key: registry.key, as: Status.self)
            #expect(status.state == "verified" && status.signatures.first?.kind == "cosign" && status.signatures.first?.valid == true)
        }
    }

    @Test("a stored DSSE signature verifies with openssl over the PAE bytes")
    func opensslVerifies() async throws {
        try await withRegistry(.sqlite) { registry in
            let (image, _) = try await registry.pushImage(tag: "v1")
            let key = SigningPrivateKey()
            _ = try await Self.register(registry, key, name: "ci")
            let envelope = try Self.provenance(registry, about: image.digest, key: key)
            #expect(try await Self.pushEnvelope(registry, envelope, subject: image).status == .created)
            // Read back what the registry stores and hand it to openssl.
            let index = try JSONDecoder().decode(ManifestDocument.self, from: try await registry.call(.get, "referrers/\(image.digest)").body)
            let referrer = try #require(index.manifests?.first)
            let manifest = try JSONDecoder().decode(ManifestDocument.self, from: try await registry.call(.get, "manifests/\(referrer.digest)").body)
            let stored = try DSSEEnvelope.parse(try await registry.call(.get, "blobs/\(try #require(manifest.layers?.first).digest)").body)
            try await withTemporaryDirectory { directory async throws in
                let pae = DSSEEnvelope.pae(payloadType: stored.payloadType, payload: try stored.payloadBytes())
                try pae.write(to: directory.appending("pae.bin"))
                try #require(Data(base64Encoded: stored.signatures[0].sig)).write(to: directory.appending("sig.der"))
                try Data(key.publicKey.pem.utf8).write(to: directory.appending("pub.pem"))
                let verify = try ChildProcess("/usr/bin/openssl", ["dgst", "-sha256", "-verify", directory.appending("pub.pem").path,
                                                                  "-signature", directory.appending("sig.der").path, directory.appending("pae.bin").path],
                                              outputPath: directory.appending("openssl.out").path)
                #expect(await verify.wait(timeout: .seconds(20)) == 0)
                #expect(verify.output.contains("Verified OK"))
                var forged = pae
                forged[forged.count - 3] ^= 0x01
                try forged.write(to: directory.appending("pae.bin"))
                let refuse = try ChildProcess("/usr/bin/openssl", ["dgst", "-sha256", "-verify", directory.appending("pub.pem").path,
                                                                  "-signature", directory.appending("sig.der").path, directory.appending("pae.bin").path],
                                              outputPath: directory.appending("openssl2.out").path)
                #expect(await refuse.wait(timeout: .seconds(20)) != 0, "the check can fail")
            }
        }
    }
}
