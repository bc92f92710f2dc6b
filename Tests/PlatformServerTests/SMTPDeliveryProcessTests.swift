import Foundation
import NIOCore
import NotificationService
import PlatformTestKit
import Testing

/// Email delivery against a real SMTP server: aiosmtpd from scripts/smtp/receiver.sh, which
/// saves each message as received and as parsed by Python's `email` module. Also the
/// answers an outbox consumer maps: 550 at RCPT is permanent, a server that is down is
/// retryable.
@Suite("Email delivery to an aiosmtpd receiver", .serialized, .tags(.integration))
struct SMTPDeliveryProcessTests {
    static let root = InstanceProcessTests.root

    /// A receiver on a free port saving into `directory`, answering `rcptReply` to RCPT TO.
    static func startReceiver(_ directory: TemporaryDirectory, rcptReply: String? = nil) async throws -> (ChildProcess, port: Int) {
        let port = freeLocalPort()
        let receiver = try ChildProcess("/bin/bash", [
            Self.root.appendingPathComponent("scripts/smtp/receiver.sh").path, "serve",
            String(port), directory.path,
        ] + (rcptReply.map { [$0] } ?? []), outputPath: directory.appending("receiver-\(port).log").path)
        // The first run creates the venv from PyPI, hence the generous wait.
        for _ in 0..<2400 where !receiver.output.contains("listening on") {
            if let code = await receiver.wait(timeout: .milliseconds(100)) {
                Issue.record("receiver exited \(code): \(receiver.output)")
                break
            }
        }
        try #require(receiver.output.contains("listening on"), "\(receiver.output)")
        return (receiver, port)
    }

    static func saved(_ directory: TemporaryDirectory, _ ext: String) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: directory.url, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == ext }
    }

    @Test func messageArrivesWithItsHeadersAndBodyExactly() async throws {
        try await withTemporaryDirectory { directory async throws in
            let (receiver, port) = try await Self.startReceiver(directory)
            defer { receiver.signal(SIGKILL) }
            let body = "Instance 01JMAIL is ready.\n.a line that starts with a dot\n..and two\nPrêt à l'emploi = yes\n"
            let message = try EmailMessage(from: "platform@example.test", to: ["alice@example.test", "bob@example.test"],
                                           subject: "Instance ready", body: body,
                                           date: Date(timeIntervalSince1970: 1_796_571_540), messageID: "<evt-01jmail@example.test>")
            let result = await SMTPDelivery(host: "127.0.0.1", port: port, timeout: .seconds(10)).send(message)
            #expect(result == .delivered(code: 250), "\(receiver.output)")

            let eml = try Self.saved(directory, "eml")
            try #require(eml.count == 1, "\(eml) \(receiver.output)")
            // Byte for byte what we rendered: the server undid the dot-stuffing exactly.
            #expect(try Array(Data(contentsOf: eml[0])) == message.rendered())

            let json = try Self.saved(directory, "json")
            let parsed = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: json[0])) as? [String: Any])
            #expect(parsed["mail_from"] as? String == "platform@example.test")
            #expect(parsed["rcpt_tos"] as? [String] == ["alice@example.test", "bob@example.test"])
            #expect(parsed["body"] as? String == body)
            let headers = try #require(parsed["headers"] as? [String: String])
            #expect(headers == [
                "From": "platform@example.test", "To": "alice@example.test, bob@example.test",
                "Subject": "Instance ready", "Date": "Sun, 06 Dec 2026 15:39:00 +0000",
                "Message-ID": "<evt-01jmail@example.test>", "MIME-Version": "1.0",
                "Content-Type": "text/plain; charset=utf-8", "Content-Transfer-Encoding": "quoted-printable",
            ])
        }
    }

    @Test func recipientRefusedWith550GivesPermanentFailure() async throws {
        try await withTemporaryDirectory { directory async throws in
            let (receiver, port) = try await Self.startReceiver(directory, rcptReply: "550 5.1.1 no such user")
            defer { receiver.signal(SIGKILL) }
            let message = try EmailMessage(from: "platform@example.test", to: ["nobody@example.test"], subject: "s", body: "x")
            let result = await SMTPDelivery(host: "127.0.0.1", port: port, timeout: .seconds(10)).send(message)
            #expect(result == .permanentFailure(code: 550, reply: "5.1.1 no such user"), "\(receiver.output)")
            #expect(try Self.saved(directory, "eml").isEmpty)
        }
    }

    @Test func recipientRefusedWith451GivesRetryable() async throws {
        try await withTemporaryDirectory { directory async throws in
            let (receiver, port) = try await Self.startReceiver(directory, rcptReply: "451 4.3.0 try again later")
            defer { receiver.signal(SIGKILL) }
            let message = try EmailMessage(from: "platform@example.test", to: ["a@example.test"], subject: "s", body: "x")
            let result = await SMTPDelivery(host: "127.0.0.1", port: port, timeout: .seconds(10)).send(message)
            #expect(result == .retryable(code: 451, reason: "4.3.0 try again later"), "\(receiver.output)")
        }
    }

    @Test func serverThatNeverGreetsGivesRetryableAfterTheTimeout() async throws {
        try await withTemporaryDirectory { directory async throws in
            // Listens (the kernel completes the handshake) but never accepts nor says 220.
            let port = freeLocalPort()
            let silent = try ChildProcess("/usr/bin/python3", [
                "-c", "import socket, sys, time; s = socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1]))); "
                    + "s.listen(); print('listening on', flush=True); time.sleep(600)", String(port),
            ], outputPath: directory.appending("silent.log").path)
            defer { silent.signal(SIGKILL) }
            for _ in 0..<100 where !silent.output.contains("listening on") { _ = await silent.wait(timeout: .milliseconds(100)) }
            try #require(silent.output.contains("listening on"), "\(silent.output)")
            let message = try EmailMessage(from: "platform@example.test", to: ["a@example.test"], subject: "s", body: "x")
            let result = await SMTPDelivery(host: "127.0.0.1", port: port, timeout: .seconds(1)).send(message)
            guard case .retryable(code: nil, let reason) = result else {
                Issue.record("expected retryable without a code, got \(result)")
                return
            }
            #expect(reason.contains("timed out"), "\(reason)")
        }
    }

    @Test func serverThatIsDownGivesRetryable() async throws {
        let port = freeLocalPort() // nothing listens there
        let message = try EmailMessage(from: "platform@example.test", to: ["a@example.test"], subject: "s", body: "x")
        let result = await SMTPDelivery(host: "127.0.0.1", port: port, timeout: .seconds(2)).send(message)
        guard case .retryable(code: nil, _) = result else {
            Issue.record("expected retryable without a code, got \(result)")
            return
        }
    }
}
