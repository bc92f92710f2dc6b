import Foundation
import PlatformContracts

/// cosign's simple-signing payload (sigstore/cosign `specs/SIGNATURE_SPEC.md`), stored as a
/// layer of the manifest tagged `sha256-<hex>.sig`, its signature in an annotation.
public enum CosignSimpleSigning {
    /// The tag cosign stores signatures of `digest` under.
    public static func signatureTag(for digest: ContentDigest) -> String {
        "\(digest.algorithm)-\(digest.hex).sig"
    }

    /// The digest a signature tag is about, if `tag` is one.
    public static func subject(ofSignatureTag tag: String) -> ContentDigest? {
        guard tag.hasPrefix("sha256-"), tag.hasSuffix(".sig") else { return nil }
        return try? ContentDigest(parsing: "sha256:" + tag.dropFirst(7).dropLast(4))
    }

    /// The payload cosign signs for an image.
    public static func payload(reference: String, digest: ContentDigest) -> Data {
        let object: [String: Any] = [
            "critical": [
                "identity": ["docker-reference": reference],
                "image": ["docker-manifest-digest": digest.description],
                "type": "cosign container image signature",
            ],
            "optional": [String: Any](),
        ]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }

    /// The image digest a payload vouches for.
    /// - Throws: ``ErrorCode/artifactSignatureMalformed``.
    public static func signedDigest(in payload: Data) throws(PlatformError) -> ContentDigest {
        guard let object = try? JSONSerialization.jsonObject(with: payload) as? [String: Any],
              let critical = object["critical"] as? [String: Any],
              critical["type"] as? String == "cosign container image signature",
              let image = critical["image"] as? [String: Any],
              let text = image["docker-manifest-digest"] as? String,
              let digest = try? ContentDigest(parsing: text)
        else { throw PlatformError(.artifactSignatureMalformed, "not a cosign simple-signing payload") }
        return digest
    }
}
