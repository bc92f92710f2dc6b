import PlatformContracts

/// Where email notices go: the relay (`--smtp HOST:PORT`) and the sender (`--smtp-from`).
/// Without it the email channel is off: the fan-out writes no email intents at all, rather
/// than intents that could only dead-letter.
public struct SMTPSettings: Sendable, Equatable {
    /// The relay's host name or address.
    public var host: String
    /// The relay's port.
    public var port: Int
    /// The `From:` and `MAIL FROM` address.
    public var from: String

    /// Creates settings (already validated; see ``parse(server:from:)``).
    public init(host: String, port: Int, from: String) {
        self.host = host
        self.port = port
        self.from = from
    }

    /// The sender used when `--smtp` is given without `--smtp-from`.
    public static let defaultFrom = "platformd@localhost"

    /// Parses `HOST:PORT` (IPv6 in brackets) and a sender address.
    /// - Throws: ``ErrorCode/configInvalid`` for a missing host, a port outside 1–65535, or a
    ///   sender that is not a plain `local@domain` address.
    public static func parse(server: String, from: String?) throws(PlatformError) -> SMTPSettings {
        guard let colon = server.lastIndex(of: ":") else {
            throw PlatformError(.configInvalid, "--smtp is HOST:PORT, got \(server)")
        }
        var host = String(server[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "/" }),
              let port = Int(server[server.index(after: colon)...]), (1...65535).contains(port) else {
            throw PlatformError(.configInvalid, "--smtp is HOST:PORT with a port from 1 to 65535, got \(server)")
        }
        let sender = from ?? defaultFrom
        guard EmailAddress.isValid(sender) else {
            throw PlatformError(.configInvalid, "--smtp-from is an address like platform@example.com, got \(sender)")
        }
        return SMTPSettings(host: host, port: port, from: sender)
    }
}

/// The email addresses the notification service accepts: `local@domain`, no spaces, angle
/// brackets or control characters (they would break out of `RCPT TO:<…>` or a header), at
/// most 254 characters (RFC 5321's path limit).
public enum EmailAddress {
    /// Whether `text` is an address the service sends to.
    public static func isValid(_ text: String) -> Bool {
        guard text.utf8.count <= 254, let at = text.lastIndex(of: "@") else { return false }
        let local = text[..<at], domain = text[text.index(after: at)...]
        guard !local.isEmpty, !domain.isEmpty, !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains("@") else {
            return false
        }
        return !text.unicodeScalars.contains { scalar in
            scalar.value < 0x21 || scalar.value == 0x7F || "<>()[],;:\\\"".unicodeScalars.contains(scalar)
        }
    }
}
