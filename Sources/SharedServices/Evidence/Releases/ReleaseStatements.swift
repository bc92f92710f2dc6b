import Crypto
import Foundation
import OCIKit
import PlatformContracts

/// Builds and signs the in-toto statements the platform makes about a release: every subject is
/// one of the release's artifacts (named by its digest: releases know digests, not
/// repositories), so a statement always covers the whole release.
enum ReleaseStatements {
    /// The VSA predicate type of decisions.
    static let verificationSummary = "https://slsa.dev/verification_summary/v1"

    /// The predicate type a platform-made type is signed under when the evidence-type registry
    /// does not (yet) list it: the registry's naming, so verifiers see the same URI later.
    static func fallbackPredicateType(_ type: String) -> String { "https://platform.local/evidence/\(type)/v1" }

    /// Sorted-key JSON of an in-toto Statement v1 about `artifacts` (`sha256:…` digests).
    static func statement(artifacts: [String], predicateType: String, predicate: [UInt8]) throws -> Data {
        let predicateObject = try JSONSerialization.jsonObject(with: Data(predicate), options: [.fragmentsAllowed])
        let subjects: [[String: Any]] = artifacts.map { digest in
            ["name": digest, "digest": ["sha256": String(digest.dropFirst("sha256:".count))]]
        }
        let object: [String: Any] = [
            "_type": InTotoStatement.type, "subject": subjects, "predicateType": predicateType, "predicate": predicateObject,
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    /// A DSSE envelope over the statement, signed with the platform key, as stored bytes.
    static func signed(artifacts: [String], predicateType: String, predicate: [UInt8], with key: SigningPrivateKey) throws -> Data {
        let payload = try statement(artifacts: artifacts, predicateType: predicateType, predicate: predicate)
        let envelope = DSSEEnvelope.sign(payload: payload, with: key)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(envelope)
    }

    /// JSON bytes of a predicate object.
    static func json(_ object: [String: Any]) throws -> [UInt8] {
        [UInt8](try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
    }

    /// The content digest of stored bytes.
    static func digest(of bytes: Data) -> ContentDigest {
        ContentDigest(sha256Bytes: SHA256.hash(data: bytes))
    }
}
