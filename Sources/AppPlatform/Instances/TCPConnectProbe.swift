import Dispatch
import PlatformContracts
#if canImport(Glibc)
import Glibc
#endif

/// The TCP probe of tcp endpoints (`protocol: tcp|ssh`): a non-blocking connect to an IPv4
/// address that passes once the connection is accepted within the timeout. The wait runs on
/// a dispatch queue, never on the concurrency pool, so a probe that waits its whole timeout
/// holds no task thread.
enum TCPConnectProbe {
    /// Whether `host:port` (an IPv4 literal or `localhost`) accepts a connection within `timeout`.
    static func accepts(host: String, port: Int, timeout: Duration) async -> Bool {
        let milliseconds = Int32(clamping: max(1, timeout.wholeMilliseconds))
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: connect(host: host, port: port, timeoutMs: milliseconds))
            }
        }
    }

    private static func connect(host: String, port: Int, timeoutMs: Int32) -> Bool {
        #if canImport(Glibc)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(clamping: port)).bigEndian
        guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr) == 1 else { return false }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let started = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if started == 0 { return true }
        guard errno == EINPROGRESS else { return false }
        var waiting = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        guard poll(&waiting, 1, timeoutMs) == 1 else { return false }
        var failure: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &length) == 0 else { return false }
        return failure == 0
        #else
        return false
        #endif
    }
}
