import Foundation

/// Quoted-printable (RFC 2045 §6.7) for a text body: lines end in CRLF whatever the input
/// used (CRLF, LF or CR), bytes outside printable ASCII and `=` become `=XX`, trailing
/// spaces and tabs are encoded, and lines are soft-broken (`=` CRLF) at 76 characters.
enum QuotedPrintable {
    static func encode(_ text: String) -> [UInt8] {
        var normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        if normalized.hasSuffix("\n") { normalized.removeLast() }
        var out: [UInt8] = []
        for line in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
            out += encodeLine(Array(line.utf8))
            out += [13, 10]
        }
        return out
    }

    static func encodeLine(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var column = 0
        for (index, byte) in bytes.enumerated() {
            let last = index == bytes.count - 1
            let plain = (byte >= 33 && byte <= 126 && byte != 61) || ((byte == 32 || byte == 9) && !last)
            let piece: [UInt8] = plain ? [byte] : Array("=\(hex(byte))".utf8)
            // Keep room for the soft break's "=" within 76 columns.
            if column + piece.count > 75 {
                out += [61, 13, 10]
                column = 0
            }
            out += piece
            column += piece.count
        }
        return out
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
