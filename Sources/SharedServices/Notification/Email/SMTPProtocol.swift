import NIOCore

/// One SMTP reply: its code and the text of all its lines, joined by newlines.
struct SMTPReply: Sendable, Equatable {
    let code: Int
    let text: String
}

/// The server closed the connection or sent something that is not an SMTP reply.
struct SMTPProtocolError: Error, CustomStringConvertible {
    let description: String
}

/// Reads SMTP replies from a byte stream: lines end in CRLF, and a reply continues while a
/// line's fourth character is `-` (`250-PIPELINING` … `250 OK`).
struct SMTPReplyReader {
    var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    var pending: [UInt8] = []

    init(_ iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) {
        self.iterator = iterator
    }

    mutating func next() async throws -> SMTPReply {
        var lines: [String] = []
        while true {
            let line = try await nextLine()
            guard line.count >= 3, let code = Int(line.prefix(3)) else {
                throw SMTPProtocolError(description: "not an SMTP reply: \(line.prefix(200))")
            }
            lines.append(String(line.dropFirst(4)))
            if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] != "-" {
                return SMTPReply(code: code, text: lines.joined(separator: "\n"))
            }
        }
    }

    mutating func nextLine() async throws -> String {
        while true {
            if let end = pending.firstIndex(of: 10) {
                var line = Array(pending[..<end])
                pending.removeFirst(end + 1)
                if line.last == 13 { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            guard pending.count < 64 * 1024, var buffer = try await iterator.next() else {
                throw SMTPProtocolError(description: "the server closed the connection")
            }
            pending += buffer.readBytes(length: buffer.readableBytes) ?? []
        }
    }
}

/// The DATA payload (RFC 5321 §4.5.2): the message with every line that starts with `.`
/// given one more `.`, then the terminating `.` line.
enum SMTPData {
    static func payload(_ message: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(message.count + 8)
        var lineStart = true
        for byte in message {
            if lineStart && byte == UInt8(ascii: ".") { out.append(byte) }
            out.append(byte)
            lineStart = byte == 10
        }
        if !(out.suffix(2) == [13, 10]) { out += [13, 10] }
        return out + Array(".\r\n".utf8)
    }
}
