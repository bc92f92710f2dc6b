import AppPlatform
import CoreMetrics
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import HummingbirdWSClient
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import PlatformContracts
import Synchronization

/// The request context of WebSocket upgrades: the upgrade check leaves the session's
/// grant here for the handler.
public struct ConnectWebSocketContext: RequestContext, WebSocketRequestContext {
    /// Hummingbird's storage.
    public var coreContext: CoreRequestContextStorage
    /// Hummingbird's handle on the upgrade.
    public let webSocket: WebSocketHandlerReference<Self>
    let grant = GrantBox()

    /// Creates the context for one upgrade request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
    }
}

/// The grant the upgrade check found, for the handler that runs after it.
final class GrantBox: Sendable {
    let value = Mutex<ConnectGrant?>(nil)
}

/// The WebSocket data plane: WebSockets under `/i/{instance}/{action}/…` are relayed frame
/// by frame to the instance's endpoint, and `/connect/{session}/tunnel` carries one TCP
/// connection to the session's endpoint (binary frames are bytes; the text frame `eof`
/// half-closes, in both directions). Each is registered with its session, so a revoke,
/// an expiry or the instance stopping closes it at once.
public struct ConnectWebSockets: Sendable {
    /// The largest frame relayed.
    public static let maxFrameSize = 1 << 24
    let connect: ConnectService
    let metrics: ConnectMetrics
    let logger: Logger
    let origins: OriginPolicy

    /// Creates the data plane; upgrades whose `Origin` the policy refuses are not upgraded.
    public init(connect: ConnectService, metrics: ConnectMetrics, logger: Logger, origins: OriginPolicy) {
        self.connect = connect
        self.metrics = metrics
        self.logger = logger
        self.origins = origins
    }

    /// The router the HTTP/1 upgrade consults; a refused upgrade falls through to the
    /// ordinary routes, which answer 404.
    public func router() -> Router<ConnectWebSocketContext> {
        let router = Router(context: ConnectWebSocketContext.self)
        let connect = self.connect, metrics = self.metrics, logger = self.logger, origins = self.origins
        router.ws("/connect/:session/tunnel") { request, context in
            guard origins.allows(request.headers[values: .origin]) else { return .dontUpgrade }
            let session = try context.parameters.require("session")
            do {
                let grant = try await connect.authorizeTunnel(
                    credential: ConnectProxy.credential(request.headers), session: session, requestID: RequestIDMiddleware.requestID(for: request))
                context.grant.value.withLock { $0 = grant }
                return .upgrade([:])
            } catch {
                return .dontUpgrade
            }
        } onUpgrade: { inbound, outbound, context in
            guard let grant = context.requestContext.grant.value.withLock({ $0 }) else { return }
            metrics.tunnels.increment()
            try await Self.whileRegistered(grant, connect: connect, metrics: metrics) {
                try await Self.tunnel(grant, inbound: inbound, outbound: outbound, metrics: metrics)
            }
        }
        for path in ["/i/:instance/:action", "/i/:instance/:action/**"] {
            router.ws(RouterPath(path)) { request, context in
                guard origins.allows(request.headers[values: .origin]),
                      let target = ProxyTarget(rawPath: request.head.path ?? "") else { return .dontUpgrade }
                do {
                    let grant = try await connect.authorize(
                        credential: ConnectProxy.credential(request.headers), instance: target.instance, action: target.action,
                        requestID: RequestIDMiddleware.requestID(for: request))
                    context.grant.value.withLock { $0 = grant }
                } catch {
                    return .dontUpgrade
                }
                var headers = HTTPFields()
                if let offered = request.headers[.secWebSocketProtocol]?.split(separator: ",").first {
                    headers[.secWebSocketProtocol] = offered.trimmingCharacters(in: .whitespaces)
                }
                return .upgrade(headers)
            } onUpgrade: { inbound, outbound, context in
                guard let grant = context.requestContext.grant.value.withLock({ $0 }),
                      let target = ProxyTarget(rawPath: context.request.head.path ?? "") else { return }
                metrics.webSockets.increment()
                try await Self.whileRegistered(grant, connect: connect, metrics: metrics) {
                    try await Self.relay(grant, target: target, request: context.request, inbound: inbound, outbound: outbound,
                                         metrics: metrics, logger: logger)
                }
            }
        }
        return router
    }

    /// Runs `work` while the session lives: ending the session cancels it.
    static func whileRegistered(_ grant: ConnectGrant, connect: ConnectService, metrics: ConnectMetrics,
                                _ work: @escaping @Sendable () async throws -> Void) async throws {
        let task = Task { try await work() }
        guard let registration = connect.registerTunnel(session: grant.sessionId, close: { task.cancel() }) else {
            task.cancel()
            return
        }
        metrics.openTunnels.record(connect.openTunnels)
        _ = await task.result
        connect.unregisterTunnel(session: grant.sessionId, id: registration)
        metrics.openTunnels.record(connect.openTunnels)
    }

    /// Relays a browser's WebSocket to the instance's, frame by frame, until either side closes.
    static func relay(_ grant: ConnectGrant, target: ProxyTarget, request: Request, inbound: WebSocketInboundStream,
                      outbound: WebSocketOutboundWriter, metrics: ConnectMetrics, logger: Logger) async throws {
        var headers = HTTPFields()
        for field in request.headers where [.secWebSocketProtocol, .userAgent].contains(field.name) {
            headers.append(field)
        }
        let upstream = ConnectProxy.upstreamHeaders(request.headers, authority: request.head.authority,
                                                    prefix: grant.pathPrefix.forwardedPrefix(target.prefix))
        if let cookie = upstream["Cookie"].first { headers[.cookie] = cookie }
        let url = "ws://\(grant.host):\(grant.port)\(grant.pathPrefix.upstreamPath(prefix: target.prefix, rest: target.rest))\(target.query)"
        try await WebSocketClient.connect(
            url: url, configuration: .init(maxFrameSize: maxFrameSize, additionalHeaders: headers), logger: logger
        ) { upstreamInbound, upstreamOutbound, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await frame in inbound {
                        metrics.bytesToInstance.increment(by: frame.data.readableBytes)
                        try await upstreamOutbound.write(.custom(WebSocketFrame(fin: frame.fin, opcode: frame.opcode.nio, data: frame.data)))
                    }
                }
                group.addTask {
                    for try await frame in upstreamInbound {
                        metrics.bytesFromInstance.increment(by: frame.data.readableBytes)
                        try await outbound.write(.custom(WebSocketFrame(fin: frame.fin, opcode: frame.opcode.nio, data: frame.data)))
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    /// Carries one TCP connection to the session's endpoint.
    static func tunnel(_ grant: ConnectGrant, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter,
                       metrics: ConnectMetrics) async throws {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
                .connectTimeout(.seconds(5))
                .connect(host: grant.host, port: grant.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                            wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                    }
                }
        } catch {
            try await outbound.close(.unexpectedServerError, reason: "endpoint \(grant.endpoint) refused the connection")
            return
        }
        try await channel.executeThenClose { tcpInbound, tcpOutbound in
            try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    for try await frame in inbound {
                        if frame.opcode == .text {
                            if String(buffer: frame.data) == "eof" { tcpOutbound.finish() }
                            continue
                        }
                        metrics.bytesToInstance.increment(by: frame.data.readableBytes)
                        try await tcpOutbound.write(frame.data)
                    }
                    return true
                }
                group.addTask {
                    for try await buffer in tcpInbound {
                        metrics.bytesFromInstance.increment(by: buffer.readableBytes)
                        try await outbound.write(.binary(buffer))
                    }
                    try await outbound.write(.text("eof"))
                    return false
                }
                // The instance closing its side is a half-close; the tunnel ends when the client's WebSocket does.
                while let clientDone = try await group.next() {
                    if clientDone { break }
                }
                group.cancelAll()
            }
        }
    }
}

extension WebSocketDataFrame.Opcode {
    var nio: WebSocketOpcode {
        switch self {
        case .text: .text
        case .binary: .binary
        case .continuation: .continuation
        }
    }
}
