import Foundation
import NotificationService
import PlatformContracts
import Testing

/// The RFC 5322 message and SMTP DATA payload the email channel sends: CRLF everywhere,
/// dot-stuffing, quoted-printable, and refusal of header injection.
@Suite("Email message formatting")
struct EmailMessageTests {
    static let date = Date(timeIntervalSince1970: 1_796_571_540) // Sun, 06 Dec 2026 15:39:00 +0000

    static func message(subject: String = "Instance ready", body: String) throws -> EmailMessage {
        try EmailMessage(from: "platform@example.test", to: ["a@example.test", "b@example.test"],
                         subject: subject, body: body, date: date, messageID: "<evt-1@example.test>")
    }

    @Test func renderedMessageHasTheHeadersAndCRLFLineEndings() throws {
        let text = String(decoding: try Self.message(body: "line one\nline two\n").rendered(), as: UTF8.self)
        #expect(text == """
        From: platform@example.test\r
        To: a@example.test, b@example.test\r
        Subject: Instance ready\r
        Date: Sun, 06 Dec 2026 15:39:00 +0000\r
        Message-ID: <evt-1@example.test>\r
        MIME-Version: 1.0\r
        Content-Type: text/plain; charset=utf-8\r
        Content-Transfer-Encoding: quoted-printable\r
        \r
        line one\r
        line two\r

        """)
        // No bare LF or CR anywhere.
        let bytes = Array(text.utf8)
        for (index, byte) in bytes.enumerated() where byte == 10 { #expect(index > 0 && bytes[index - 1] == 13) }
        for (index, byte) in bytes.enumerated() where byte == 13 { #expect(index + 1 < bytes.count && bytes[index + 1] == 10) }
    }

    @Test func bodyIsQuotedPrintableWithSoftBreaks() throws {
        let long = String(repeating: "x", count: 100)
        let text = String(decoding: try Self.message(body: "café = ok \n\(long)").rendered(), as: UTF8.self)
        let body = text.components(separatedBy: "\r\n\r\n")[1]
        #expect(body == "caf=C3=A9 =3D ok=20\r\n\(String(repeating: "x", count: 75))=\r\n\(String(repeating: "x", count: 25))\r\n")
    }

    @Test func nonASCIISubjectIsAnEncodedWord() throws {
        let text = String(decoding: try Self.message(subject: "Prêt", body: "x").rendered(), as: UTF8.self)
        #expect(text.contains("Subject: =?utf-8?B?UHLDqnQ=?=\r\n"))
    }

    @Test func dataPayloadDotStuffsLinesStartingWithADot() throws {
        let rendered = try Self.message(body: ".hidden\nmiddle\n..two\n.").rendered()
        let payload = String(decoding: SMTPDelivery.dataPayload(rendered), as: UTF8.self)
        #expect(payload.hasSuffix("\r\n\r\n..hidden\r\nmiddle\r\n...two\r\n..\r\n.\r\n"))
    }

    @Test(arguments: ["Hi\r\nBcc: victim@example.test", "Hi\nX: y", "Hi\r"])
    func headerInjectionInTheSubjectIsRefused(subject: String) throws {
        let error = try #require(throws: PlatformError.self) { try Self.message(subject: subject, body: "x") }
        #expect(error.code == .notificationEmailHeaderInvalid)
    }

    @Test func headerInjectionInAnAddressIsRefused() throws {
        for to in ["a@example.test\r\nRCPT TO:<b@example.test>", "a@example.test>\nDATA", "<a@example.test>", ""] {
            let error = try #require(throws: PlatformError.self) {
                try EmailMessage(from: "platform@example.test", to: [to], subject: "s", body: "x")
            }
            #expect(error.code == .notificationEmailHeaderInvalid)
        }
        let error = try #require(throws: PlatformError.self) {
            try EmailMessage(from: "p@example.test", to: ["a@example.test"], subject: "s", body: "x", messageID: "<a@b>\r\nBcc: c")
        }
        #expect(error.code == .notificationEmailHeaderInvalid)
    }
}
