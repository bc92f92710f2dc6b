import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOCore
import NIOSSL
import NIOWebSocket
import PlatformClient
import PlatformContracts

#if canImport(Glibc)
import Glibc
#endif

/// The client side of `appctl instance exec -it`: the WebSocket at
/// `/v1/projects/{project}/instances/{instance}/exec/terminal` (see the server's
/// `InstanceExecTerminal`). Standard input's bytes go out as binary frames, the command's
/// terminal output comes back as binary frames and is written to standard output as is.
/// While standard input is a TTY it is put in raw mode (restored on every way out), and a
/// window change (SIGWINCH) is sent as `{"resize":{"rows":R,"columns":C}}`.
struct ExecTerminalClient {
    let server: String
    let token: String?
    let project: String
    let instance: String

    /// What the session's input loop reads: keys, a window change, or the end of input.
    enum LocalEvent: Sendable {
        case input([UInt8])
        case resize(rows: UInt16, columns: UInt16)
    }

    /// The terminal URL for `command` (`http` → `ws`, `https` → `wss`), each word its own `command` parameter.
    func url(command: [String], rows: UInt16, columns: UInt16) -> String {
        let base = server.hasPrefix("https://") ? "wss://" + server.dropFirst(8) : "ws://" + server.replacingOccurrences(of: "http://", with: "")
        var unreserved = CharacterSet.alphanumerics
        unreserved.insert(charactersIn: "-._~")
        let encode = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "" }
        let query = (command.map { "command=\(encode($0))" } + ["rows=\(rows)", "columns=\(columns)"]).joined(separator: "&")
        return "\(base.hasSuffix("/") ? String(base.dropLast()) : base)/v1/projects/\(encode(project))/instances/\(encode(instance))/exec/terminal?\(query)"
    }

    /// Runs the session; answers the command's exit status.
    /// - Throws: the server's error (its stable code) when it refused the session.
    func run(command: [String]) async throws -> Int32 {
        try TunnelClient.requireWebSocketHost(server: server)
        let size = Self.windowSize()
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        let raw = RawMode.enter()
        defer { raw?.restore() }
        let events = Self.localEvents()
        let outcome = SessionOutcome()
        let logger = Logger(label: "appctl.exec", factory: { _ in SwiftLogNoOpLogHandler() })
        let closed: WebSocketCloseFrame?
        do {
            closed = try await WebSocketClient.connect(
                url: url(command: command, rows: size.rows, columns: size.columns),
                configuration: .init(maxFrameSize: 1 << 24, additionalHeaders: headers),
                tlsConfiguration: PlatformClient.tlsConfiguration, logger: logger
            ) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        do {
                            for await event in events {
                                switch event {
                                case .input(let bytes): try await outbound.write(.binary(ByteBuffer(bytes: bytes)))
                                case .resize(let rows, let columns):
                                    try await outbound.write(.text(#"{"resize":{"rows":\#(rows),"columns":\#(columns)}}"#))
                                }
                            }
                        } catch {}
                        // End of standard input: the command keeps running until it exits; the server's close ends the session.
                        while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
                    }
                    group.addTask {
                        for try await message in inbound.messages(maxSize: 1 << 24) {
                            switch message {
                            case .binary(let buffer): Self.writeOut(Array(buffer: buffer))
                            case .text(let text): outcome.read(text)
                            }
                        }
                    }
                    // The server closing (after the exit frame) ends the session.
                    try await group.next()
                    group.cancelAll()
                }
            }
        } catch {
            if let failure = outcome.failure { throw failure }
            if let status = outcome.status { return status }
            throw AppCtlError(.clientServerUnreachable,
                              "the server did not open the terminal (\(error)); check the instance id, the project and that the key holds apps:instance:exec")
        }
        if let failure = outcome.failure { throw failure }
        guard let status = outcome.status else {
            throw AppCtlError(.clientUnexpectedResponse, "the terminal closed without the command's exit status\(closed.map { " (\($0.closeCode))" } ?? "")")
        }
        return status
    }

    static func writeOut(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(1, $0.baseAddress! + offset, bytes.count - offset) }
            guard written > 0 else { return }
            offset += written
        }
    }

    /// Standard input in chunks (a thread blocks in `read`, never a cooperative one) and window changes.
    static func localEvents() -> AsyncStream<LocalEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: LocalEvent.self)
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress, 4096) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                continuation.yield(.input(Array(buffer.prefix(count))))
            }
            continuation.finish()
        }
        reader.start()
        if isatty(1) == 1 || isatty(0) == 1 {
            signal(SIGWINCH, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: SIGWINCH)
            source.setEventHandler {
                let size = windowSize()
                continuation.yield(.resize(rows: size.rows, columns: size.columns))
            }
            source.resume()
            let held = SignalSourceHolder(source: source)
            continuation.onTermination = { _ in held.source.cancel() }
        }
        return stream
    }

    /// Keeps the SIGWINCH source alive until the session's events end (Dispatch sources are
    /// thread-safe; the type just does not say so).
    final class SignalSourceHolder: @unchecked Sendable {
        let source: any DispatchSourceSignal
        init(source: any DispatchSourceSignal) { self.source = source }
    }

    /// The local terminal's size (24×80 when there is none).
    static func windowSize() -> (rows: UInt16, columns: UInt16) {
        var window = winsize()
        for fd in [Int32(1), 0, 2] where ioctl(fd, UInt(TIOCGWINSZ), &window) == 0 && window.ws_row > 0 {
            return (window.ws_row, window.ws_col)
        }
        return (24, 80)
    }

    /// The server's text frames: `{"exit":N}` or `{"error":{"code":…,"message":…}}`.
    final class SessionOutcome: @unchecked Sendable {
        private let lock = NSLock()
        private var exit: Int32?
        private var error: AppCtlError?

        var status: Int32? { lock.withLock { exit } }
        var failure: AppCtlError? { lock.withLock { error } }

        func read(_ text: String) {
            struct Frame: Decodable {
                struct Failure: Decodable { var code: String; var message: String }
                var exit: Int32?
                var error: Failure?
            }
            guard let frame = try? JSONDecoder().decode(Frame.self, from: Data(text.utf8)) else { return }
            lock.withLock {
                if let status = frame.exit { exit = status }
                if let failure = frame.error {
                    error = ErrorCode(rawValue: failure.code).map { AppCtlError($0, failure.message) }
                        ?? AppCtlError(.clientUnexpectedResponse, "\(failure.message) [\(failure.code)]")
                }
            }
        }
    }

    /// Standard input's terminal settings before raw mode, to put back.
    struct RawMode {
        let saved: termios

        /// Raw mode on standard input when it is a TTY; `nil` otherwise.
        static func enter() -> RawMode? {
            guard isatty(0) == 1 else { return nil }
            var settings = termios()
            guard tcgetattr(0, &settings) == 0 else { return nil }
            var raw = settings
            cfmakeraw(&raw)
            guard tcsetattr(0, TCSANOW, &raw) == 0 else { return nil }
            return RawMode(saved: settings)
        }

        func restore() {
            var settings = saved
            _ = tcsetattr(0, TCSANOW, &settings)
        }
    }
}
