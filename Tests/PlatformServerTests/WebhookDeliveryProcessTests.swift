import Foundation
import NIOCore
import NotificationService
import PlatformTestKit
import Testing

/// Webhook delivery against a real receiver (scripts/webhooks/receiver.sh) that checks each
/// signature with the PyPI `standardwebhooks` library's own `Webhook.verify`: the proof that
/// our signing is the specification's and not only self-consistent. Also the answers an
/// outbox consumer maps: 410 disables, a receiver that is down is retryable.
@Suite("Webhook delivery to a Standard Webhooks reference receiver", .serialized, .tags(.integration))
struct WebhookDeliveryProcessTests {
    static let root = InstanceProcessTests.root

    /// A receiver on a free port, answering `status` to deliveries that verify.
    static func startReceiver(_ directory: TemporaryDirectory, secret: WebhookSecret, status: Int = 204) async throws -> (ChildProcess, url: String, record: URL) {
        let port = freeLocalPort()
        let record = directory.appending("deliveries-\(port).jsonl")
        let receiver = try ChildProcess("/bin/bash", [
            Self.root.appendingPathComponent("scripts/webhooks/receiver.sh").path, "serve",
            String(port), secret.text, record.path, String(status),
        ], outputPath: directory.appending("receiver-\(port).log").path)
        // The first run creates the venv from PyPI, hence the generous wait.
        for _ in 0..<2400 where !receiver.output.contains("listening on") {
            if let code = await receiver.wait(timeout: .milliseconds(100)) {
                Issue.record("receiver exited \(code): \(receiver.output)")
                break
            }
        }
        try #require(receiver.output.contains("listening on"), "\(receiver.output)")
        return (receiver, "http://127.0.0.1:\(port)/hook", record)
    }

    static func deliveries(_ record: URL) throws -> [[String: Any]] {
        try String(contentsOf: record, encoding: .utf8).split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func signedEventIsVerifiedByTheReferenceLibrary() async throws {
        try await withTemporaryDirectory { directory async throws in
            let secret = try WebhookSecret.generate()
            let (receiver, url, record) = try await Self.startReceiver(directory, secret: secret)
            defer { receiver.signal(SIGKILL) }
            let body = Array(#"{"type":"instance.ready","data":{"instance":"01JWEBHOOKTEST"}}"#.utf8)
            let delivery = WebhookDelivery(signer: StandardWebhookSigner(secrets: [secret]))
            let result = await delivery.deliver(to: url, id: "evt_01JWEBHOOKTEST", body: body)
            #expect(result == .delivered(status: 204), "\(receiver.output)")

            let got = try Self.deliveries(record)
            try #require(got.count == 1, "\(got)")
            #expect(got[0]["verified"] as? Bool == true, "\(got[0])")
            #expect(got[0]["id"] as? String == "evt_01JWEBHOOKTEST")
            #expect((got[0]["payload"] as? [String: Any])?["type"] as? String == "instance.ready")
        }
    }

    @Test func wrongSecretIsRefusedByTheReferenceLibraryAndRetryable() async throws {
        try await withTemporaryDirectory { directory async throws in
            let (receiver, url, record) = try await Self.startReceiver(directory, secret: WebhookSecret.generate())
            defer { receiver.signal(SIGKILL) }
            let delivery = WebhookDelivery(signer: StandardWebhookSigner(secrets: [try WebhookSecret.generate()]))
            let result = await delivery.deliver(to: url, id: "evt_wrong", body: Array(#"{"type":"x"}"#.utf8))
            #expect(result == .retryable(status: 400, reason: "endpoint answered 400"))
            let got = try Self.deliveries(record)
            #expect(got.count == 1 && got[0]["verified"] as? Bool == false, "\(got)")
        }
    }

    @Test func goneEndpointGivesDisabled() async throws {
        try await withTemporaryDirectory { directory async throws in
            let secret = try WebhookSecret.generate()
            let (receiver, url, _) = try await Self.startReceiver(directory, secret: secret, status: 410)
            defer { receiver.signal(SIGKILL) }
            let delivery = WebhookDelivery(signer: StandardWebhookSigner(secrets: [secret]))
            #expect(await delivery.deliver(to: url, id: "evt_gone", body: Array("{}".utf8)) == .disabled(status: 410))
        }
    }

    @Test func receiverThatIsDownGivesRetryable() async throws {
        let port = freeLocalPort() // nothing listens there
        let delivery = WebhookDelivery(signer: StandardWebhookSigner(secrets: [try WebhookSecret.generate()]), timeout: .seconds(2))
        let result = await delivery.deliver(to: "http://127.0.0.1:\(port)/hook", id: "evt_down", body: Array("{}".utf8))
        guard case .retryable(status: nil, _) = result else {
            Issue.record("expected retryable without a status, got \(result)")
            return
        }
    }
}
