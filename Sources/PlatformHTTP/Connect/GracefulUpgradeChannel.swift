import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// hummingbird-websocket's HTTP/1 channel with the upgrade, hardened against clients that
/// do not speak HTTP/1 or speak it too slowly, and safe to shut down.
///
/// That channel waits for a connection's first request head before any HTTP handling (and
/// its idle and graceful-shutdown rules) applies: a client that connects and sends nothing,
/// sends a TLS ClientHello, or dribbles its head would hold the connection (and a graceful
/// shutdown) forever. Here ``RequestHeadGuard`` answers or closes those connections (see
/// ``ConnectionTimeouts``), and a graceful shutdown closes a connection that has not
/// started a request.
///
/// With `tls`, the connection speaks TLS first (`NIOSSLServerHandler` in front of the guard,
/// with the certificate current when the connection opened): the guard then sees the
/// decrypted HTTP, and a plain-HTTP client is refused by the handshake.
struct GracefulUpgradeChannel: ServerChildChannel {
    typealias Value = HTTP1WebSocketUpgradeChannel.Value

    let inner: HTTP1WebSocketUpgradeChannel
    let timeouts: ConnectionTimeouts
    let tls: TLSCertificateSource?
    /// Parked file ranges to send with `sendfile(2)`; `nil` (and always with TLS) sends none.
    let zeroCopy: ZeroCopyFiles?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            try channel.pipeline.syncOperations.addHandler(RequestHeadGuard(headTimeout: timeouts.requestHead), position: .first)
            try channel.pipeline.syncOperations.addHandler(RequestBoundaryObserver(), position: .last)
            if let tls {
                try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls.current.context), position: .first)
            } else if let zeroCopy {
                try channel.pipeline.syncOperations.addHandler(SendfileResponseHandler(files: zeroCopy), position: .last)
            }
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        let channel = value.channel
        await withGracefulShutdownHandler {
            await inner.handle(value: value, logger: logger)
        } onGracefulShutdown: {
            channel.eventLoop.execute {
                (try? channel.pipeline.syncOperations.handler(type: RequestHeadGuard.self))?.closeIfBeforeFirstRequest()
            }
        }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with WebSocket upgrades through `webSocketRouter`, closing connections whose
    /// request head is late or not HTTP, idle kept-alive connections, and connections that
    /// have not started a request when a graceful shutdown begins; over TLS when `tls` is given.
    public static func http1WithWebSockets<Context: WebSocketRequestContext>(
        webSocketRouter: Router<Context>, maxFrameSize: Int, timeouts: ConnectionTimeouts = .init(), tls: TLSCertificateSource? = nil,
        zeroCopy: ZeroCopyFiles? = nil
    ) -> HTTPServerBuilder {
        let webSocketResponder = webSocketRouter.buildResponder()
        return HTTPServerBuilder { responder in
            GracefulUpgradeChannel(
                inner: HTTP1WebSocketUpgradeChannel(
                    responder: responder, webSocketResponder: webSocketResponder,
                    configuration: .init(http1: .init(idleTimeout: timeouts.idle), ws: .init(maxFrameSize: maxFrameSize))),
                timeouts: timeouts, tls: tls, zeroCopy: zeroCopy)
        }
    }
}
