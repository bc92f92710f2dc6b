import NIOCore

/// The first handler of every plain-HTTP connection: answers a client that does not speak
/// HTTP/1 at once, and closes one whose request head does not arrive in time.
///
/// Without it, a TLS ClientHello sent to the plain listener (what skopeo and podman try
/// first) hung until the client gave up: the HTTP decoder's error was never answered before
/// the first request, so every such client waited about 10 s before falling back to HTTP.
/// Now the first byte decides, as Go's `net/http` does: a TLS handshake record (0x16) gets
/// `HTTP/1.0 400 Bad Request` with "Client sent an HTTPS request to an HTTP server." and a
/// close within milliseconds, and any byte that cannot start a request line gets a plain 400.
///
/// The head deadline runs from the connection's start (so a silent, half-open client is
/// closed too) and, on a kept-alive connection, from the first byte of each later request;
/// ``RequestBoundaryObserver`` reports where requests start and end. Nothing here applies
/// while a request is being answered or after a WebSocket upgrade.
final class RequestHeadGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum Phase: Equatable {
        /// Nothing or part of the first request head has arrived.
        case awaitingFirstHead
        /// A request is being read or answered (or the connection was upgraded).
        case inRequest
        /// Between requests of a kept-alive connection.
        case awaitingHead
        /// Answered with an error and closing: further bytes are dropped.
        case refused
    }

    private let headTimeout: TimeAmount
    private var phase = Phase.awaitingFirstHead
    private var sawFirstByte = false
    private var deadline: Scheduled<Void>?
    private var context: ChannelHandlerContext?

    init(headTimeout: TimeAmount) {
        self.headTimeout = headTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        arm(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch phase {
        case .refused:
            return
        case .awaitingFirstHead where !sawFirstByte:
            let buffer = unwrapInboundIn(data)
            guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { break }
            sawFirstByte = true
            if let refusal = Self.refusal(forFirstByte: first) {
                refuse(refusal)
                return
            }
        case .awaitingHead:
            if deadline == nil { arm(context) }
        case .awaitingFirstHead, .inRequest:
            break
        }
        context.fireChannelRead(data)
    }

    // MARK: Events from the HTTP layer (all on the channel's event loop)

    /// A request head arrived: no deadline until the request has been read and answered.
    func headArrived() {
        guard phase != .refused else { return }
        phase = .inRequest
        disarm()
    }

    /// The request body ended: the next byte starts a new head deadline.
    func requestEnded() {
        guard phase == .inRequest else { return }
        phase = .awaitingHead
    }

    /// The connection became a WebSocket: never time it out here again.
    func upgraded() {
        headArrived()
    }

    /// Whether no request has started on this connection yet.
    var isBeforeFirstRequest: Bool { phase == .awaitingFirstHead }

    /// Answers a malformed first request (the HTTP decoder failed before any head) and closes.
    func refuseMalformedHead(tooLarge: Bool) {
        guard phase == .awaitingFirstHead else { return }
        refuse(tooLarge ? .headerTooLarge : .badRequest)
    }

    /// On graceful shutdown: closes the connection when no request has started on it.
    func closeIfBeforeFirstRequest() {
        guard phase == .awaitingFirstHead, let context else { return }
        context.close(promise: nil)
    }

    // MARK: Refusals

    /// A canned answer written straight to the socket, below the HTTP codec.
    struct Refusal: Equatable {
        var status: String
        var body: String

        static let tlsOnPlainHTTP = Refusal(status: "400 Bad Request", body: "Client sent an HTTPS request to an HTTP server.\n")
        static let badRequest = Refusal(status: "400 Bad Request", body: "400 Bad Request: this is not an HTTP/1 request.\n")
        static let headerTooLarge = Refusal(status: "431 Request Header Fields Too Large", body: "431 Request Header Fields Too Large\n")

        /// The bytes on the wire.
        var response: String {
            "HTTP/1.0 \(status)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        }
    }

    /// The answer for a connection whose first byte is `byte`, or `nil` when that byte can
    /// start an HTTP/1 request (a method is an RFC 9110 token; empty lines may precede it).
    static func refusal(forFirstByte byte: UInt8) -> Refusal? {
        if byte == 0x16 { return .tlsOnPlainHTTP }
        if byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") { return nil }
        return isTokenCharacter(byte) ? nil : .badRequest
    }

    /// RFC 9110 `tchar`.
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }

    private func refuse(_ refusal: Refusal) {
        guard phase != .refused, let context else { return }
        phase = .refused
        disarm()
        let channel = context.channel
        var buffer = channel.allocator.buffer(capacity: 192)
        buffer.writeString(refusal.response)
        context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in channel.close(promise: nil) }
    }

    // MARK: Deadline

    private func arm(_ context: ChannelHandlerContext) {
        disarm()
        let channel = context.channel
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: headTimeout) { [weak self] in
            guard let self, self.phase == .awaitingFirstHead || self.phase == .awaitingHead else { return }
            self.deadline = nil
            channel.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}

@available(*, unavailable)
extension RequestHeadGuard: Sendable {}
