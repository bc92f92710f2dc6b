@testable import AppCtlKit
import PlatformContracts
import Testing

/// Tunnels and exec terminals over HTTPS need a host name: the WebSocket client would send an
/// IP address as the TLS server name, which swift-nio-ssl refuses, so appctl says so first.
@Suite("WebSocket hosts over HTTPS")
struct TunnelHostTests {
    @Test("an https server given by IPv4 or IPv6 address is refused with client.config_invalid; names and plain http pass",
          arguments: [("https://127.0.0.1:8443", true), ("https://[::1]:8443", true), ("https://10.0.0.7", true),
                      ("https://localhost:8443", false), ("https://platform.example.com", false), ("https://1.example.com:8443", false),
                      ("http://127.0.0.1:8080", false)])
    func ipLiteralHTTPSRefused(server: String, refused: Bool) {
        do {
            try TunnelClient.requireWebSocketHost(server: server)
            #expect(!refused, "\(server) should be refused")
        } catch let error as AppCtlError {
            #expect(refused, "\(server): \(error)")
            #expect(error.code == .clientConfigInvalid && error.message.contains("host name"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
