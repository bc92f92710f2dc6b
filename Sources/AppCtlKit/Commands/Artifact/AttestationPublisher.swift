import Crypto
import Foundation
import OCIKit
import PlatformContracts

/// Signs an in-toto statement about an artifact with a local private key and pushes the
/// DSSE envelope as a referrer (`artifactType` DSSE, `subject` the artifact). The private
/// key never leaves this process; the server verifies against the project's public keys.
struct AttestationPublisher {
    let client: RegistryClient

    struct Published: Encodable {
        var subject: String
        var referrer: String
        var keyId: String
        var predicateType: String
        var evidenceType: String?
    }

    static func loadKey(_ path: String) throws -> SigningPrivateKey {
        guard let pem = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw AppCtlError(.clientConfigInvalid, "cannot read key file \(path)")
        }
        do { return try SigningPrivateKey(pem: pem) } catch { throw AppCtlError(error.code, error.message) }
    }

    func publish(_ reference: ArtifactReference, predicateType: String, predicate: Data, key: SigningPrivateKey,
                 evidenceType: String?) async throws -> Published {
        let subject = try await client.manifest(reference.repository, reference: reference.reference)
        let statement = InTotoStatement(subject: reference.repository, digest: subject.digest, predicateType: predicateType, predicate: predicate)
        let envelope = DSSEEnvelope.sign(payload: try statement.encoded(), with: key)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let envelopeBlob = try await client.putBlob(reference.repository, try encoder.encode(envelope))
        let config = try await client.putBlob(reference.repository, Data("{}".utf8))
        var annotations = [Annotation.created: Timestamp.now().rfc3339, "dev.platform.predicate-type": predicateType]
        if let evidenceType { annotations[Annotation.evidenceType] = evidenceType }
        let manifest = ManifestDocument(
            artifactType: MediaType.dsseEnvelope,
            config: Descriptor(mediaType: MediaType.empty, digest: config.digest, size: config.size),
            layers: [Descriptor(mediaType: MediaType.dsseEnvelope, digest: envelopeBlob.digest, size: envelopeBlob.size)],
            subject: Descriptor(mediaType: subject.mediaType, digest: subject.digest, size: Int64(subject.bytes.count)),
            annotations: annotations)
        let bytes = try encoder.encode(manifest)
        let digest = try await client.putManifest(reference.repository, reference: ContentDigest(sha256Bytes: SHA256.hash(data: bytes)).description, bytes: bytes, mediaType: MediaType.imageManifest)
        return Published(subject: subject.digest.description, referrer: digest.description, keyId: key.publicKey.keyID,
                         predicateType: predicateType, evidenceType: evidenceType)
    }
}
