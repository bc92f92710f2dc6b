import Crypto
import Foundation

/// Why a delivery was refused by ``StandardWebhookVerifier``.
public enum WebhookVerificationFailure: Error, Sendable, Equatable {
    /// The timestamp is more than the tolerance in the past.
    case timestampTooOld
    /// The timestamp is more than the tolerance in the future.
    case timestampTooNew
    /// No `v1` signature in the header matches any of the secrets.
    case noMatchingSignature
}

/// Checks a Standard Webhooks delivery the way receivers must: the timestamp within
/// ±5 minutes (replay window) and a `v1` signature that matches, compared in constant time
/// so the comparison's duration does not reveal how much of a guess was right.
///
/// The tests use it against ``StandardWebhookSigner``, and it is what a platform-side
/// receiver would use; the real-receiver test uses the reference library instead.
public struct StandardWebhookVerifier: Sendable {
    /// The secrets accepted (old and new during a rotation).
    public let secrets: [WebhookSecret]
    /// How far the timestamp may be from now, in seconds (300 per the specification).
    public let toleranceSeconds: Int64

    /// A verifier for one or more secrets.
    public init(secrets: [WebhookSecret], toleranceSeconds: Int64 = 300) {
        self.secrets = secrets
        self.toleranceSeconds = toleranceSeconds
    }

    /// Verifies `body` against the headers, taking `now` (Unix seconds) from the caller so
    /// tests can move the clock.
    public func verify(body: [UInt8], headers: StandardWebhookHeaders, now: Int64) throws(WebhookVerificationFailure) {
        if headers.timestamp < now - toleranceSeconds { throw .timestampTooOld }
        if headers.timestamp > now + toleranceSeconds { throw .timestampTooNew }
        let offered = headers.signature.split(separator: " ").compactMap { entry -> [UInt8]? in
            guard entry.hasPrefix("v1,"), let data = Data(base64Encoded: String(entry.dropFirst(3))) else { return nil }
            return [UInt8](data)
        }
        for secret in secrets {
            let expected = StandardWebhookSigner.signature(
                id: headers.id, timestamp: headers.timestamp, body: body, secret: secret)
            guard let expectedBytes = Data(base64Encoded: String(expected.dropFirst(3))).map({ [UInt8]($0) }) else { continue }
            for candidate in offered where Self.constantTimeEqual(candidate, expectedBytes) {
                return
            }
        }
        throw .noMatchingSignature
    }

    /// Compares two byte strings in time that depends only on their lengths.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
