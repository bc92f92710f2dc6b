import NIOCore
import NIOPosix

/// What one SMTP attempt came to, in the terms an outbox consumer needs (like
/// `WebhookDeliveryResult`): done, stop for good, or try again later.
public enum EmailDeliveryResult: Sendable, Equatable {
    /// The server accepted the message after DATA (its final reply code).
    case delivered(code: Int)
    /// A 5xx reply: the server will never take this message (unknown recipient, refused
    /// sender); dead letter, no retry.
    case permanentFailure(code: Int, reply: String)
    /// A 4xx reply, an unexpected reply, a refused connection or a timeout: retry with
    /// backoff. `code` is nil when no SMTP reply came.
    case retryable(code: Int?, reason: String)
}

/// Sends one ``EmailMessage`` over plain SMTP (RFC 5321): EHLO, MAIL FROM, one RCPT TO per
/// recipient, DATA, QUIT, reading multi-line replies.
///
/// No TLS in this step: STARTTLS and SMTP AUTH are not spoken, so the relay must be one
/// platformd may reach in the clear (a local MTA or a relay on a trusted network). One
/// attempt per call; retries, backoff and dead letter belong to the outbox consumer. A
/// recipient refused at RCPT ends the attempt before DATA, so no recipient gets a copy the
/// others did not.
public struct SMTPDelivery: Sendable {
    let host: String
    let port: Int
    let heloName: String
    let timeout: TimeAmount

    /// A client for the relay at `host:port`, greeting as `heloName`. `timeout` bounds the
    /// connect, then again the whole conversation, so a server that accepts and never
    /// answers (or stalls mid-reply) ends the attempt as retryable.
    public init(host: String, port: Int, heloName: String = "platformd.localhost", timeout: TimeAmount = .seconds(30)) {
        self.host = host
        self.port = port
        self.heloName = heloName
        self.timeout = timeout
    }

    /// Sends `message` and classifies the outcome. Never throws: every transport failure is
    /// a retryable result.
    public func send(_ message: EmailMessage) async -> EmailDeliveryResult {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(timeout)
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            return .retryable(code: nil, reason: "connect to \(host):\(port): \(error)")
        }
        let timeout = self.timeout
        let result = await withTaskGroup(of: EmailDeliveryResult?.self) { group in
            group.addTask { await self.converse(channel, message) }
            group.addTask {
                try? await Task.sleep(for: .nanoseconds(timeout.nanoseconds))
                return Task.isCancelled ? nil : .retryable(code: nil, reason: "timed out after \(timeout)")
            }
            var first: EmailDeliveryResult?
            for await outcome in group where first == nil {
                if let outcome {
                    first = outcome
                    group.cancelAll()
                    // Closing ends a conversation stuck waiting for a reply.
                    channel.channel.close(promise: nil)
                }
            }
            return first ?? .retryable(code: nil, reason: "no outcome")
        }
        channel.channel.close(promise: nil)
        return result
    }

    func converse(_ channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>, _ message: EmailMessage) async -> EmailDeliveryResult {
        do {
            return try await channel.executeThenClose { inbound, outbound in
                var replies = SMTPReplyReader(inbound.makeAsyncIterator())
                func step(_ command: String?, expect: Int) async throws -> SMTPReply? {
                    if let command { try await outbound.write(ByteBuffer(string: command + "\r\n")) }
                    let reply = try await replies.next()
                    return reply.code / 100 == expect ? nil : reply
                }
                var failure: SMTPReply?
                failure = try await step(nil, expect: 2)
                if failure == nil { failure = try await step("EHLO \(heloName)", expect: 2) }
                if failure == nil { failure = try await step("MAIL FROM:<\(message.from)>", expect: 2) }
                for recipient in message.to where failure == nil {
                    failure = try await step("RCPT TO:<\(recipient)>", expect: 2)
                }
                if failure == nil { failure = try await step("DATA", expect: 3) }
                var accepted = 0
                if failure == nil {
                    try await outbound.write(ByteBuffer(bytes: SMTPData.payload(message.rendered())))
                    let reply = try await replies.next()
                    if reply.code / 100 == 2 { accepted = reply.code } else { failure = reply }
                }
                try? await outbound.write(ByteBuffer(string: "QUIT\r\n"))
                guard let failure else { return .delivered(code: accepted) }
                return Self.classify(failure)
            }
        } catch {
            return .retryable(code: nil, reason: String(describing: error))
        }
    }

    /// 5xx is permanent; 4xx and anything unexpected (a 3xx where 2xx was due) is retryable.
    static func classify(_ reply: SMTPReply) -> EmailDeliveryResult {
        reply.code / 100 == 5
            ? .permanentFailure(code: reply.code, reply: reply.text)
            : .retryable(code: reply.code, reason: reply.text)
    }
}

extension SMTPDelivery {
    /// What goes after DATA for a rendered message: dot-stuffed, ended by the `.` line.
    public static func dataPayload(_ rendered: [UInt8]) -> [UInt8] {
        SMTPData.payload(rendered)
    }
}
