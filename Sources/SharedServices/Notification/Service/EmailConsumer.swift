import Foundation
import Logging
import NIOCore
import PlatformContracts
import PlatformStore

/// The consumer of topic ``NotificationTopics/email``: one message to the configured relay.
///
/// The intent holds the rendered text, the address and a stable `Message-ID`, so a retry sends
/// the same message. A 4xx, a refused connection or a timeout throws (the dispatcher backs
/// off); a 5xx throws ``OutboxUndeliverable`` with the server's reply, so the intent goes to
/// dead letter at once, where an operator sees the reason and may retry it once fixed.
public struct EmailConsumer: OutboxConsumer {
    let smtp: SMTPSettings
    let clock: any PlatformClock
    let timeout: Duration

    /// Creates the consumer for the relay and sender in `smtp`.
    public init(smtp: SMTPSettings, clock: any PlatformClock, timeout: Duration = .seconds(30)) {
        self.smtp = smtp
        self.clock = clock
        self.timeout = timeout
    }

    public func deliver(_ intent: OutboxIntent) async throws {
        let payload: EmailIntent
        do {
            payload = try JSONDecoder().decode(EmailIntent.self, from: Data(intent.payload.utf8))
        } catch {
            throw PlatformError(.configInvalid, "email intent \(intent.id) does not decode: \(error)")
        }
        let message = try EmailMessage(
            from: smtp.from, to: [payload.to], subject: payload.subject, body: payload.body,
            date: Date(timeIntervalSince1970: Double(intent.createdAt.millisecondsSinceEpoch) / 1000),
            messageID: payload.messageId)
        let delivery = SMTPDelivery(host: smtp.host, port: smtp.port, timeout: .milliseconds(timeout.wholeMilliseconds))
        switch await delivery.send(message) {
        case .delivered:
            return
        case .permanentFailure(let code, let reply):
            throw OutboxUndeliverable("email delivery refused permanently (\(code)): \(reply)")
        case .retryable(let code, let reason):
            throw EmailAttemptFailed(code: code, reason: reason)
        }
    }
}

/// An email attempt that failed; its text becomes the intent's `last_error`.
public struct EmailAttemptFailed: Error, CustomStringConvertible, Sendable {
    /// The SMTP reply code, when one came.
    public var code: Int?
    /// Why, in words.
    public var reason: String

    public var description: String { "email delivery failed\(code.map { " (\($0))" } ?? ""): \(reason)" }
}
