import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Plain-socket probes for the isolation tests: what a client on the host sees.
enum Probe {
    /// Connects to `host:port` within 1 s, sends `text`, and returns what comes back before
    /// the peer closes or 2 s pass; `nil` when the connection is refused or times out.
    static func exchange(host: String, port: Int, _ text: String) -> String? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(host)
        let started = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if started != 0 {
            guard errno == EINPROGRESS, wait(fd, for: Int16(POLLOUT), milliseconds: 1000) else { return nil }
            var problem: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &problem, &length) == 0, problem == 0 else { return nil }
        }
        _ = Array(text.utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = ContinuousClock.now.advanced(by: .seconds(2))
        while ContinuousClock.now < deadline, wait(fd, for: Int16(POLLIN), milliseconds: 200) {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += buffer[..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }

    static func wait(_ fd: Int32, for events: Int16, milliseconds: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        return poll(&entry, 1, milliseconds) == 1
    }

    /// The host end's address of the /30 whose second address is `instance`.
    static func gateway(of instance: String) -> String {
        var parts = instance.split(separator: ".").map(String.init)
        parts[3] = String((Int(parts[3]) ?? 1) - 1)
        return parts.joined(separator: ".")
    }

    /// Whether any piece of slot `slot`'s network is still there.
    static func networkExists(slot: Int) -> Bool {
        ["/var/run/netns/platformd-\(slot)", "/sys/class/net/pfd\(slot)", "/run/platformd/net/\(slot)", "/run/platformd/userns/\(slot)"]
            .contains { FileManager.default.fileExists(atPath: $0) }
    }

    /// A TCP listener on 0.0.0.0 that never accepts (the kernel completes handshakes anyway).
    struct Listener {
        let fd: Int32
        let port: Int

        init() throws {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = INADDR_ANY
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let ok = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, $0, &length) == 0 }
            }
            guard fd >= 0, ok else { throw ConformanceFailure(message: "cannot listen on 0.0.0.0") }
            self.fd = fd
            port = Int(UInt16(bigEndian: address.sin_port))
        }

        func close() { _ = Glibc.close(fd) }
    }
}
