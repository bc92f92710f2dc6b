import NIOCore

/// How long the plain-HTTP listener waits on a client before closing the connection, so
/// slow or silent clients (slowloris, half-open sockets) cannot tie up the server.
///
/// Neither limit applies once a request head has arrived: a long download, a slow upload
/// that keeps sending, a Server-Sent Events stream or an upgraded WebSocket is never cut.
///
/// ```swift
/// let timeouts = ConnectionTimeouts(requestHead: .seconds(10), idle: .seconds(60))
/// ```
public struct ConnectionTimeouts: Sendable, Equatable {
    /// A request head (request line and header fields) must have arrived in full this long
    /// after the connection opened (first request) or after its first byte (later requests
    /// on a kept-alive connection). A connection that sends nothing at all is closed then too.
    public var requestHead: TimeAmount
    /// A kept-alive connection with no request in flight, or a request whose body stops
    /// arriving, is closed after this long without a byte (Hummingbird's HTTP/1 idle timeout).
    public var idle: TimeAmount

    /// Creates the limits.
    public init(requestHead: TimeAmount = .seconds(10), idle: TimeAmount = .seconds(60)) {
        self.requestHead = requestHead
        self.idle = idle
    }
}
