import Foundation
import NotificationService
import PlatformContracts
import Testing

/// Standard Webhooks signing and verification in-process: a known answer from the reference
/// library, and the verifier's refusals (changed body, old timestamp, wrong secret).
@Suite("Standard Webhooks signing")
struct WebhookSigningTests {
    /// Key bytes 0x00…0x1f.
    static let secretText = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    static let id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"
    static let timestamp: Int64 = 1_764_979_200
    static let body = Array(#"{"type":"instance.ready","data":{"instance":"01JEXAMPLE"}}"#.utf8)

    /// The expected value was computed with PyPI `standardwebhooks` 1.3.0 (the version
    /// scripts/webhooks/receiver.sh pins):
    /// `Webhook(secretText).sign(id, datetime.fromtimestamp(timestamp, timezone.utc), body)`.
    @Test func signatureMatchesTheReferenceLibrarysKnownAnswer() throws {
        let secret = try WebhookSecret(Self.secretText)
        #expect(secret.key == Array(0..<32))
        let headers = StandardWebhookSigner(secrets: [secret]).headers(id: Self.id, timestamp: Self.timestamp, body: Self.body)
        #expect(headers.signature == "v1,eF2ZOvn1Yk7ySGpDUvP4n/Osghw9oStccDRwiG5yK+c=")
        #expect(headers.fields.map(\.name) == ["webhook-id", "webhook-timestamp", "webhook-signature"])
        #expect(headers.fields[1].value == "1764979200")
    }

    @Test func rotationSignsWithEverySecretAndEitherVerifies() throws {
        let old = try WebhookSecret(Self.secretText), new = try WebhookSecret.generate()
        let headers = StandardWebhookSigner(secrets: [new, old]).headers(id: Self.id, timestamp: Self.timestamp, body: Self.body)
        let parts = headers.signature.split(separator: " ")
        #expect(parts.count == 2)
        #expect(parts[1] == "v1,eF2ZOvn1Yk7ySGpDUvP4n/Osghw9oStccDRwiG5yK+c=")
        try StandardWebhookVerifier(secrets: [old]).verify(body: Self.body, headers: headers, now: Self.timestamp)
        try StandardWebhookVerifier(secrets: [new]).verify(body: Self.body, headers: headers, now: Self.timestamp)
    }

    @Test func verifierRejectsAChangedBody() throws {
        let secret = try WebhookSecret(Self.secretText)
        let headers = StandardWebhookSigner(secrets: [secret]).headers(id: Self.id, timestamp: Self.timestamp, body: Self.body)
        var changed = Self.body
        changed[changed.count - 2] = UInt8(ascii: "X")
        #expect(throws: WebhookVerificationFailure.noMatchingSignature) {
            try StandardWebhookVerifier(secrets: [secret]).verify(body: changed, headers: headers, now: Self.timestamp)
        }
    }

    @Test func verifierRejectsATimestampOutsideFiveMinutes() throws {
        let secret = try WebhookSecret(Self.secretText)
        let headers = StandardWebhookSigner(secrets: [secret]).headers(id: Self.id, timestamp: Self.timestamp, body: Self.body)
        let verifier = StandardWebhookVerifier(secrets: [secret])
        try verifier.verify(body: Self.body, headers: headers, now: Self.timestamp + 300)
        #expect(throws: WebhookVerificationFailure.timestampTooOld) {
            try verifier.verify(body: Self.body, headers: headers, now: Self.timestamp + 301)
        }
        #expect(throws: WebhookVerificationFailure.timestampTooNew) {
            try verifier.verify(body: Self.body, headers: headers, now: Self.timestamp - 301)
        }
    }

    @Test func verifierRejectsTheWrongSecret() throws {
        let secret = try WebhookSecret(Self.secretText)
        let headers = StandardWebhookSigner(secrets: [secret]).headers(id: Self.id, timestamp: Self.timestamp, body: Self.body)
        #expect(throws: WebhookVerificationFailure.noMatchingSignature) {
            try StandardWebhookVerifier(secrets: [WebhookSecret.generate()]).verify(body: Self.body, headers: headers, now: Self.timestamp)
        }
    }

    @Test(arguments: [
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", // no whsec_ prefix
        "whsec_not base64!",
        "whsec_" + Data(repeating: 1, count: 23).base64EncodedString(),
        "whsec_" + Data(repeating: 1, count: 65).base64EncodedString(),
    ])
    func secretOutsideTheSpecificationIsRefusedWithAStableCode(text: String) {
        #expect(performing: { _ = try WebhookSecret(text) }, throws: { error in
            (error as? PlatformError)?.code == .notificationWebhookSecretInvalid
        })
    }

    @Test func generatedSecretRoundTripsThroughItsText() throws {
        let secret = try WebhookSecret.generate(bytes: 24)
        #expect(secret.text.hasPrefix("whsec_"))
        #expect(try WebhookSecret(secret.text) == secret)
    }

    @Test func statusesClassifyAsDeliveredDisabledOrRetryable() {
        #expect(WebhookDeliveryResult.classify(status: 200) == .delivered(status: 200))
        #expect(WebhookDeliveryResult.classify(status: 204) == .delivered(status: 204))
        #expect(WebhookDeliveryResult.classify(status: 410) == .disabled(status: 410))
        #expect(WebhookDeliveryResult.classify(status: 404) == .retryable(status: 404, reason: "endpoint answered 404"))
        #expect(WebhookDeliveryResult.classify(status: 503) == .retryable(status: 503, reason: "endpoint answered 503"))
        #expect(WebhookDeliveryResult.classify(status: 301) == .retryable(status: 301, reason: "endpoint answered 301"))
    }
}
