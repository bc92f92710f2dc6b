import Foundation
import PlatformContracts

/// One plain-text notification email, rendered as an RFC 5322 message.
///
/// The body is sent as `text/plain; charset=utf-8` in quoted-printable, so the message is
/// 7-bit clean: it needs no 8BITMIME from the server and no line can exceed SMTP's 998-octet
/// limit. Every header value is checked for CR and LF when the message is made, so text from
/// a template or a user (a subject, an address) can never add a header or an SMTP command.
public struct EmailMessage: Sendable, Equatable {
    public let from: String
    public let to: [String]
    public let subject: String
    public let body: String
    public let date: Date
    public let messageID: String

    /// Refuses (`notification.email_header_invalid`) any address, subject or message id that
    /// holds CR or LF, an empty recipient list, and an address that is empty or has `<`/`>`
    /// (it would break out of `MAIL FROM:<…>`). `messageID` defaults to a fresh
    /// `<uuid@domain-of-from>`.
    public init(from: String, to: [String], subject: String, body: String, date: Date = Date(), messageID: String? = nil) throws {
        for address in [from] + to {
            try Self.check(address, field: "address")
            if address.isEmpty || address.contains(where: { $0 == "<" || $0 == ">" || $0 == " " }) {
                throw PlatformError(.notificationEmailHeaderInvalid, "an email address is empty or holds <, > or a space",
                                    details: ["field": "address"])
            }
        }
        guard !to.isEmpty else {
            throw PlatformError(.notificationEmailHeaderInvalid, "an email needs at least one recipient", details: ["field": "to"])
        }
        try Self.check(subject, field: "subject")
        let domain = from.split(separator: "@").last.map(String.init) ?? "localhost"
        let id = messageID ?? "<\(UUID().uuidString.lowercased())@\(domain)>"
        try Self.check(id, field: "message-id")
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.date = date
        self.messageID = id
    }

    static func check(_ value: String, field: String) throws {
        if value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw PlatformError(.notificationEmailHeaderInvalid, "an email header value holds CR or LF",
                                details: ["field": field])
        }
    }

    /// The message as it goes after DATA (before dot-stuffing): headers and body, every line
    /// ended by CRLF.
    public func rendered() -> [UInt8] {
        var text = "From: \(from)\r\n"
        text += "To: \(to.joined(separator: ", "))\r\n"
        text += "Subject: \(Self.encodedWord(subject))\r\n"
        text += "Date: \(Self.rfc5322Date(date))\r\n"
        text += "Message-ID: \(messageID)\r\n"
        text += "MIME-Version: 1.0\r\n"
        text += "Content-Type: text/plain; charset=utf-8\r\n"
        text += "Content-Transfer-Encoding: quoted-printable\r\n"
        text += "\r\n"
        return Array(text.utf8) + QuotedPrintable.encode(body)
    }

    /// A subject in plain ASCII goes as is; any other is one RFC 2047 base64 encoded-word.
    static func encodedWord(_ value: String) -> String {
        if value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return value }
        return "=?utf-8?B?\(Data(value.utf8).base64EncodedString())?="
    }

    /// RFC 5322 date-time in UTC, e.g. `Sun, 06 Dec 2026 15:19:00 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
