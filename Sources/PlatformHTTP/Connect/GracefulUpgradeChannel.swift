import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// hummingbird-websocket's HTTP/1 channel with the upgrade, made safe to shut down.
///
/// That channel waits for a connection's first request head before any HTTP handling (and
/// its idle and graceful-shutdown rules) applies, so a client that connects and sends
/// nothing would hold a graceful shutdown forever. Here such a connection is closed on
/// graceful shutdown, and after ``firstRequestTimeout`` in any case.
struct GracefulUpgradeChannel: ServerChildChannel {
    typealias Value = HTTP1WebSocketUpgradeChannel.Value

    let inner: HTTP1WebSocketUpgradeChannel
    let firstRequestTimeout: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            try channel.pipeline.syncOperations.addHandler(FirstBytesWatcher(timeout: firstRequestTimeout), position: .first)
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        let channel = value.channel
        await withGracefulShutdownHandler {
            await inner.handle(value: value, logger: logger)
        } onGracefulShutdown: {
            channel.pipeline.handler(type: FirstBytesWatcher.self).whenSuccess { watcher in
                if !watcher.seen.load(ordering: .acquiring) { channel.close(promise: nil) }
            }
        }
    }
}

/// Notes whether a connection sent anything, and closes it when it sent nothing in time.
final class FirstBytesWatcher: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    let seen = Atomic<Bool>(false)
    let timeout: TimeAmount

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        context.eventLoop.scheduleTask(in: timeout) { [self] in
            if !self.seen.load(ordering: .acquiring) { channel.close(promise: nil) }
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        seen.store(true, ordering: .releasing)
        context.fireChannelRead(data)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with WebSocket upgrades through `webSocketRouter`, closing connections that
    /// send no request within `firstRequestTimeout` or before a graceful shutdown.
    public static func http1WithWebSockets<Context: WebSocketRequestContext>(
        webSocketRouter: Router<Context>, maxFrameSize: Int, firstRequestTimeout: TimeAmount = .seconds(30)
    ) -> HTTPServerBuilder {
        let webSocketResponder = webSocketRouter.buildResponder()
        return HTTPServerBuilder { responder in
            GracefulUpgradeChannel(
                inner: HTTP1WebSocketUpgradeChannel(
                    responder: responder, webSocketResponder: webSocketResponder,
                    configuration: .init(ws: .init(maxFrameSize: maxFrameSize))),
                firstRequestTimeout: firstRequestTimeout)
        }
    }
}
