import NIOCore
import NIOHTTP1

/// Sends a parked file range (``ZeroCopyFiles``) as a NIO `FileRegion`, which the socket
/// channel writes with `sendfile(2)`: no copy of the bytes through user space.
///
/// It sits at the tail of the connection's pipeline as set up, so the HTTP/1 codec that
/// Hummingbird adds for a request that is not a WebSocket upgrade lands after it: it sees
/// NIOHTTP1's response parts, whose bodies are `IOData`. A response head carrying
/// ``ZeroCopyFiles/header`` loses that header and, just before its end, gets the file region
/// as its body (the route already set `Content-Length`). After a WebSocket upgrade (the
/// `upgradeComplete` event, fired before any frame is written) everything passes untouched.
final class SendfileResponseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = Never
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let files: ZeroCopyFiles
    private var upgraded = false
    private var current: ZeroCopyFiles.Pending?

    init(files: ZeroCopyFiles) {
        self.files = files
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is HTTPServerUpgradeEvents { upgraded = true }
        context.fireUserInboundEventTriggered(event)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard !upgraded else {
            context.write(data, promise: promise)
            return
        }
        switch unwrapOutboundIn(data) {
        case .head(var head) where head.headers.contains(name: ZeroCopyFiles.header):
            let token = head.headers.first(name: ZeroCopyFiles.header) ?? ""
            head.headers.remove(name: ZeroCopyFiles.header)
            close(current)
            current = files.take(token)
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end where current != nil:
            let parked = current!
            current = nil
            let region = FileRegion(fileHandle: parked.handle, readerIndex: parked.offset, endIndex: parked.offset + parked.length)
            context.write(wrapOutboundOut(.body(.fileRegion(region)))).whenComplete { _ in try? parked.handle.close() }
            context.write(data, promise: promise)
        default:
            context.write(data, promise: promise)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        close(current)
        current = nil
    }

    private func close(_ pending: ZeroCopyFiles.Pending?) {
        try? pending?.handle.close()
    }
}
