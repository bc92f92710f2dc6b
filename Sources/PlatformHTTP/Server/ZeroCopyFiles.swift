import Foundation
import NIOCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// File ranges a handler answered with, waiting for the connection to send them with
/// `sendfile(2)` (``SendfileResponseHandler``): Hummingbird's response body is a stream of
/// `ByteBuffer`s, which cannot carry a NIO `FileRegion`, so a route opens the file, parks the
/// range here under a random token and answers with an empty body, the length it will have,
/// and the token in ``header``; the connection's handler, below Hummingbird's HTTP/1 codec
/// where bodies are `IOData`, swaps the token for the file region.
///
/// Only for plain-HTTP listeners: TLS encrypts in user space, so a `FileRegion` cannot pass
/// `NIOSSLHandler` (routes get `nil` there and read the file as before).
public final class ZeroCopyFiles: Sendable {
    /// A parked range: an open descriptor (owned here until taken) and the bytes to send.
    struct Pending: @unchecked Sendable {
        let handle: NIOFileHandle
        let offset: Int
        let length: Int
        let parkedAt: ContinuousClock.Instant
    }

    /// The response header carrying the token from the route to the connection.
    public static let header = "x-platform-sendfile"
    /// A range not taken within this long (its response was never written) is closed.
    static let abandonAfter: Duration = .seconds(60)

    private let pending = Mutex<[String: Pending]>([:])

    /// An empty table.
    public init() {}

    /// Opens `path` and parks `length` bytes from `offset`.
    /// - Returns: The token for ``header``, or `nil` when the file cannot be opened (the caller
    ///   reads it the usual way, which reports the error).
    func park(path: String, offset: Int64, length: Int64) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        let token = String(UInt64.random(in: .min ... .max), radix: 16) + String(UInt64.random(in: .min ... .max), radix: 16)
        let now = ContinuousClock.now
        let abandoned: [Pending] = pending.withLock { table in
            let old = table.filter { now - $0.value.parkedAt > Self.abandonAfter }
            for key in old.keys { table[key] = nil }
            table[token] = Pending(handle: NIOFileHandle(_deprecatedTakingOwnershipOfDescriptor: descriptor), offset: Int(offset),
                                   length: Int(length), parkedAt: now)
            return Array(old.values)
        }
        for entry in abandoned { try? entry.handle.close() }
        return token
    }

    /// Takes a parked range (the caller closes its handle once sent).
    func take(_ token: String) -> Pending? { pending.withLock { $0.removeValue(forKey: token) } }

    /// Ranges parked and not yet taken.
    var parkedCount: Int { pending.withLock { $0.count } }
}
