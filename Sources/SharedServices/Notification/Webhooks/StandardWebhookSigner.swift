import Crypto
import Foundation
import PlatformContracts

/// The three headers of a Standard Webhooks delivery.
public struct StandardWebhookHeaders: Sendable, Hashable {
    /// `webhook-id`: the event id, the receiver's idempotency key (the same on every retry).
    public var id: String
    /// `webhook-timestamp`: Unix seconds of this attempt; receivers refuse one too far off.
    public var timestamp: Int64
    /// `webhook-signature`: space-separated `v1,<base64>` signatures, one per active secret.
    public var signature: String

    /// Headers as a receiver read them off a request (a verifier's input).
    public init(id: String, timestamp: Int64, signature: String) {
        self.id = id
        self.timestamp = timestamp
        self.signature = signature
    }

    /// The header names and values, in the order the specification lists them.
    public var fields: [(name: String, value: String)] {
        [("webhook-id", id), ("webhook-timestamp", String(timestamp)), ("webhook-signature", signature)]
    }
}

/// Signs deliveries per Standard Webhooks 1.0 (`v1`, HMAC-SHA256).
///
/// The signed content is `"<id>.<timestamp>.<raw body>"`, so the body must be sent byte for
/// byte as signed. Several secrets give several space-separated signatures: during a key
/// rotation the receiver accepts the delivery with either its old or its new secret.
public struct StandardWebhookSigner: Sendable {
    /// The secrets to sign with; the first is the current one.
    public let secrets: [WebhookSecret]

    /// A signer for one or more secrets (more than one only while rotating).
    public init(secrets: [WebhookSecret]) {
        self.secrets = secrets
    }

    /// The `v1,<base64>` signature of one message under one secret.
    public static func signature(id: String, timestamp: Int64, body: [UInt8], secret: WebhookSecret) -> String {
        var content = Array("\(id).\(timestamp).".utf8)
        content.append(contentsOf: body)
        let mac = HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: secret.key))
        return "v1," + Data(mac).base64EncodedString()
    }

    /// The headers for a delivery of `body` as event `id` at `timestamp`.
    public func headers(id: String, timestamp: Int64, body: [UInt8]) -> StandardWebhookHeaders {
        let signature = secrets
            .map { Self.signature(id: id, timestamp: timestamp, body: body, secret: $0) }
            .joined(separator: " ")
        return StandardWebhookHeaders(id: id, timestamp: timestamp, signature: signature)
    }
}
