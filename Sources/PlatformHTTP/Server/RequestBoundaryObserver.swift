import NIOCore
import NIOHTTP1

/// Sits right after the HTTP/1 decoder (and the WebSocket upgrade handler) and tells the
/// connection's ``RequestHeadGuard`` where requests start and end.
///
/// It also answers the decoder's error on a connection that has not delivered a request
/// yet: before the first head, nothing else would (Hummingbird answers parse errors only
/// once a request is under way), and the client would wait forever. Once the connection is
/// upgraded to a WebSocket it removes itself, since what follows is no longer HTTP.
final class RequestBoundaryObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    private var guardHandler: RequestHeadGuard?
    private var sawHead = false

    func handlerAdded(context: ChannelHandlerContext) {
        guardHandler = try? context.pipeline.syncOperations.handler(type: RequestHeadGuard.self)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        guardHandler = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            sawHead = true
            guardHandler?.headArrived()
        case .end:
            guardHandler?.requestEnded()
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let upgrade = event as? HTTPServerUpgradeEvents, case .upgradeComplete = upgrade {
            guardHandler?.upgraded()
            context.fireUserInboundEventTriggered(event)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !sawHead, let parserError = error as? HTTPParserError, let guardHandler, guardHandler.isBeforeFirstRequest {
            guardHandler.refuseMalformedHead(tooLarge: parserError == .headerOverflow)
            return
        }
        context.fireErrorCaught(error)
    }
}

@available(*, unavailable)
extension RequestBoundaryObserver: Sendable {}
