import Crypto
import Foundation
import PlatformContracts

/// A Standard Webhooks signing secret: `whsec_` followed by the base64 of 24–64 random bytes.
///
/// The decoded bytes are the HMAC key; the `whsec_` text is what an endpoint owner copies
/// into their receiver, so it is the only form shown. Anything else is refused with
/// `notification.webhook_secret_invalid` when configured, not at first delivery, so a
/// mistyped secret never becomes signatures no receiver can check.
public struct WebhookSecret: Sendable, Hashable {
    /// The text prefix every secret carries (Standard Webhooks 1.0).
    public static let prefix = "whsec_"
    /// The key lengths the specification allows, in bytes.
    public static let keyLengths = 24...64

    /// The HMAC-SHA256 key: the decoded part of the secret.
    public let key: [UInt8]

    /// Parses `whsec_<base64>`, refusing a missing prefix, bad base64 or a key outside 24–64 bytes.
    public init(_ text: String) throws(PlatformError) {
        guard text.hasPrefix(Self.prefix),
              let data = Data(base64Encoded: String(text.dropFirst(Self.prefix.count))) else {
            throw PlatformError(.notificationWebhookSecretInvalid,
                                "a webhook secret is whsec_ followed by base64")
        }
        try self.init(key: [UInt8](data))
    }

    /// Wraps raw key bytes, refusing a length outside 24–64.
    public init(key: [UInt8]) throws(PlatformError) {
        guard Self.keyLengths.contains(key.count) else {
            throw PlatformError(.notificationWebhookSecretInvalid,
                                "a webhook secret's key is 24 to 64 bytes",
                                details: ["bytes": String(key.count)])
        }
        self.key = key
    }

    /// A new secret from the system's random generator (32 bytes unless told).
    public static func generate(bytes: Int = 32) throws(PlatformError) -> WebhookSecret {
        var generator = SystemRandomNumberGenerator()
        return try WebhookSecret(key: (0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// The `whsec_…` text to hand to the endpoint's owner.
    public var text: String { Self.prefix + Data(key).base64EncodedString() }
}
