import AppCtlKit
import Foundation
import OCIKit
import PlatformContracts
import Testing

/// `appctl release verify` trusts nothing the server says about a decision: the envelope must
/// verify with the platform's key, be a verification summary about every artifact, and carry
/// the result and inputs the server reports.
@Suite("appctl release verify")
struct ReleaseVerifyTests {
    static let artifact = "sha256:" + String(repeating: "ab", count: 32)
    static let input = "sha256:" + String(repeating: "cd", count: 32)

    static func release() -> Release {
        Release(id: "01ARZ3NDEKTSV4RRFFQ69G5FAV", projectId: "p", tenantId: "t", environment: "production", artifacts: [artifact],
                sourceSha: String(repeating: "a", count: 40), branch: "main", state: .promoted, createdBy: "dev", createdAt: "2026-12-06T00:00:00Z")
    }

    static func decision(result: String = "PASSED") -> ReleaseDecision {
        ReleaseDecision(id: "d", releaseId: "r", environment: "production", verificationResult: result, gates: [], requiredFields: [],
                        inputDigests: [input], policySnapshot: "s", decidedAt: "2026-12-06T00:00:00Z", decidedBy: "control", envelope: "sha256:x")
    }

    /// A platform-signed summary with `result` about `subject`.
    static func envelope(signedBy key: SigningPrivateKey, result: String = "PASSED", subject: String = artifact,
                         predicateType: String = ReleaseVerifyCommand.summaryType) throws -> SignedEnvelope {
        let statement: [String: Any] = [
            "_type": "https://in-toto.io/Statement/v1",
            "subject": [["name": "app", "digest": ["sha256": String(subject.dropFirst("sha256:".count))]]],
            "predicateType": predicateType,
            "predicate": ["verificationResult": result, "inputAttestations": [["digest": ["sha256": String(input.dropFirst("sha256:".count))]]]],
        ]
        let dsse = DSSEEnvelope.sign(payload: try JSONSerialization.data(withJSONObject: statement, options: [.sortedKeys]), with: key)
        return SignedEnvelope(digest: "sha256:x", payloadType: dsse.payloadType, payload: dsse.payload,
                              signatures: dsse.signatures.map { SignedEnvelope.Signature(keyid: $0.keyid, sig: $0.sig) })
    }

    @Test("a summary signed by the platform key, about every artifact, with the reported result and inputs, verifies")
    func platformSignedSummaryVerifies() throws {
        let platform = SigningPrivateKey()
        let statement = try ReleaseVerifyCommand.verify(try Self.envelope(signedBy: platform), decision: Self.decision(), release: Self.release(),
                                                        platformKeyPEM: platform.publicKey.pem)
        #expect(statement.predicateType == ReleaseVerifyCommand.summaryType)
    }

    @Test("another key's signature, a result other than the reported one, a missing artifact or another statement type is refused")
    func anythingElseIsRefused() throws {
        let platform = SigningPrivateKey()
        let cases: [(SignedEnvelope, ReleaseDecision, ErrorCode)] = [
            (try Self.envelope(signedBy: SigningPrivateKey()), Self.decision(), .artifactSignatureInvalid),
            (try Self.envelope(signedBy: platform, result: "FAILED"), Self.decision(), .artifactSignatureInvalid),
            (try Self.envelope(signedBy: platform), Self.decision(result: "FAILED"), .artifactSignatureInvalid),
            (try Self.envelope(signedBy: platform, subject: Self.input), Self.decision(), .artifactSignatureSubjectMismatch),
            (try Self.envelope(signedBy: platform, predicateType: "https://slsa.dev/provenance/v1"), Self.decision(), .artifactSignatureMalformed),
        ]
        for (envelope, decision, code) in cases {
            let error = #expect(throws: AppCtlError.self) {
                try ReleaseVerifyCommand.verify(envelope, decision: decision, release: Self.release(), platformKeyPEM: platform.publicKey.pem)
            }
            #expect(error?.code == code, "\(String(describing: error))")
        }
    }
}
