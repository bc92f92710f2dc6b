import PlatformContracts

/// A `HOST:PORT` to listen on (`127.0.0.1:8080`, `[::1]:8080`, `0.0.0.0:0` for any free port).
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// Host name or address.
    public var host: String
    /// TCP port; 0 asks the kernel for a free one.
    public var port: Int

    /// Creates an address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`.
    /// - Throws: ``ErrorCode/configInvalid`` with what is wrong.
    public init(parsing text: String) throws(PlatformError) {
        var host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw PlatformError(.configInvalid, "listen address \"\(text)\" is not [IPv6]:PORT")
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw PlatformError(.configInvalid, "listen address \"\(text)\" has no port; use HOST:PORT, e.g. 127.0.0.1:8080")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        if host.isEmpty { host = "0.0.0.0" }
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw PlatformError(.configInvalid, "listen address \"\(text)\" has an invalid port \"\(portText)\"")
        }
        self.host = String(host)
        self.port = port
    }

    /// `HOST:PORT`, brackets around IPv6 hosts.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
