import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import NIOWebSocket
import PlatformClient
import PlatformContracts

/// One TCP-like byte stream carried over `platformd`'s tunnel WebSocket
/// (`/connect/{session}/tunnel`): binary frames are bytes, the text frame `eof` half-closes.
enum TunnelClient {
    /// The tunnel URL of a session on `server` (`http` → `ws`, `https` → `wss`).
    static func url(server: String, session: String) -> String {
        let base = server.hasPrefix("https://") ? "wss://" + server.dropFirst(8) : "ws://" + server.replacingOccurrences(of: "http://", with: "")
        return "\(base)/connect/\(session)/tunnel"
    }

    /// Refuses an `https://` server given by IP address before any WebSocket is tried:
    /// the WebSocket client (swift-websocket) sends the URL's host as the TLS server name, which
    /// swift-nio-ssl refuses for IP addresses (`cannotUseIPAddressInSNI`), so a tunnel or an exec
    /// terminal could never open. A host name on the certificate works (`https://localhost:8080`
    /// with `scripts/demo.sh`'s certificate).
    /// - Throws: ``AppCtlError`` with ``ErrorCode/clientConfigInvalid``.
    static func requireWebSocketHost(server: String) throws {
        guard server.hasPrefix("https://"), let host = URLComponents(string: server)?.host else { return }
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        guard (try? SocketAddress(ipAddress: bare, port: 0)) != nil else { return }
        throw AppCtlError(.clientConfigInvalid, "tunnels and terminals over HTTPS need the server's host name, not the IP address \(bare): use the name on its certificate (for example https://localhost:PORT)")
    }

    /// Carries `local` through the session's tunnel until both sides have finished or
    /// either closes.
    static func carry(_ local: NIOAsyncChannel<ByteBuffer, ByteBuffer>, server: String, session: String, token: String,
                      logger: Logger) async throws {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        try await local.executeThenClose { localInbound, localOutbound in
            let closed = try await WebSocketClient.connect(
                url: url(server: server, session: session),
                configuration: .init(maxFrameSize: 1 << 24, additionalHeaders: headers),
                tlsConfiguration: PlatformClient.tlsConfiguration, logger: logger
            ) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Bool.self) { group in
                    group.addTask {
                        for try await buffer in localInbound { try await outbound.write(.binary(buffer)) }
                        try await outbound.write(.text("eof"))
                        return false
                    }
                    group.addTask {
                        for try await frame in inbound {
                            if frame.opcode == .text {
                                if String(buffer: frame.data) == "eof" {
                                    localOutbound.finish()
                                    return false
                                }
                                continue
                            }
                            try await localOutbound.write(frame.data)
                        }
                        return true   // the server closed the WebSocket
                    }
                    while let serverClosed = try await group.next() {
                        if serverClosed { break }
                    }
                    group.cancelAll()
                }
            }
            if let closed, closed.closeCode != .normalClosure, closed.closeCode != .goingAway {
                throw AppCtlError(.connectUpstreamUnavailable, "the tunnel closed: \(closed.reason ?? "\(closed.closeCode)")")
            }
        }
    }

    /// Standard input and output as one channel (for `ssh -o ProxyCommand`).
    static func stdio() async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        try await NIOPipeBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .takingOwnershipOfDescriptors(input: 0, output: 1) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                        wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                }
            }
    }

    /// Listens on 127.0.0.1:`port` (0: any free port) for connections to tunnel.
    static func listen(port: Int) async throws -> NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never> {
        do {
            return try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
                .bind(host: "127.0.0.1", port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                            wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                    }
                }
        } catch {
            throw AppCtlError(.configInvalid, "cannot listen on 127.0.0.1:\(port): \(error)")
        }
    }
}
