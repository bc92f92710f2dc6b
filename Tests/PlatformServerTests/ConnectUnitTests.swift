import AppPlatform
import Crypto
import Foundation
import HTTPTypes
import NIOHTTP1
import PlatformContracts
@testable import PlatformHTTP
import PlatformTestKit
import Testing

/// The connect pieces that need no server: SSH certificates (read back by the real
/// `ssh-keygen`), the proxy's path split, its header rules and redirect rewriting.
@Suite("Connect units")
struct ConnectUnitTests {
    @Test("a session certificate is a valid OpenSSH user certificate for the instance, signed by the CA, ending with the session", .tags(.integration))
    func sshCertificate() async throws {
        try await withTemporaryDirectory { directory async throws in
            let key = directory.appending("user").path
            let keygen = try ChildProcess("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key], outputPath: directory.appending("keygen.log").path)
            try #require(await keygen.wait(timeout: .seconds(60)) == 0, "\(keygen.output)")
            let authority = SSHCertificateAuthority(key: Curve25519.Signing.PrivateKey())
            let validBefore = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 600).rounded(.down))
            let certificate = try authority.certify(
                publicKeyLine: try String(contentsOfFile: key + ".pub", encoding: .utf8), principal: "01INSTANCE", keyID: "session-01S",
                validBefore: validBefore)
            try (certificate + "\n").write(toFile: key + "-cert.pub", atomically: true, encoding: .utf8)
            try (authority.publicKeyLine + "\n").write(toFile: directory.appending("ca.pub").path, atomically: true, encoding: .utf8)
            let listed = try ChildProcess("/usr/bin/ssh-keygen", ["-L", "-f", key + "-cert.pub"], outputPath: directory.appending("list.log").path)
            #expect(await listed.wait(timeout: .seconds(20)) == 0, "\(listed.output)")
            let text = listed.output
            #expect(text.contains("Type: ssh-ed25519-cert-v01@openssh.com user certificate"), "\(text)")
            #expect(text.contains("Key ID: \"session-01S\""), "\(text)")
            #expect(text.contains("Principals: \n                01INSTANCE"), "\(text)")
            #expect(text.contains("permit-pty") && text.contains("permit-port-forwarding") && !text.contains("permit-agent-forwarding"), "\(text)")
            #expect(text.contains("Critical Options: (none)"), "\(text)")
            // ssh-keygen prints the CA's fingerprint; it must be our CA's.
            let fingerprint = try ChildProcess("/usr/bin/ssh-keygen", ["-l", "-f", directory.appending("ca.pub").path],
                                               outputPath: directory.appending("fp.log").path)
            _ = await fingerprint.wait(timeout: .seconds(20))
            let caPrint = try #require(fingerprint.output.split(separator: " ").dropFirst().first)
            #expect(text.contains("Signing CA: ED25519 \(caPrint)"), "\(text)")
        }
    }

    @Test("anything but one Ed25519 public key line is refused with connect.ssh_key_invalid", arguments: [
        "", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ== x", "ssh-ed25519 not-base64!", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA==",
    ])
    func badKeys(line: String) throws {
        let authority = SSHCertificateAuthority(key: Curve25519.Signing.PrivateKey())
        let error = #expect(throws: PlatformError.self) {
            _ = try authority.certify(publicKeyLine: line, principal: "I", keyID: "k", validBefore: Date())
        }
        #expect(error?.code == .connectSSHKeyInvalid)
    }

    @Test("the proxy splits /i/{instance}/{action}{rest}?{query} on the raw path")
    func proxyTarget() throws {
        let target = try #require(ProxyTarget(rawPath: "/i/01ABC/open/lab/tree%20x/?token=1&b=%2F"))
        #expect(target.instance == "01ABC" && target.action == "open" && target.prefix == "/i/01ABC/open")
        #expect(target.rest == "/lab/tree%20x/" && target.query == "?token=1&b=%2F")
        #expect(ProxyTarget(rawPath: "/i/01ABC/open")?.rest == "")
        #expect(ProxyTarget(rawPath: "/i/01ABC/open/")?.rest == "/")
        #expect(ProxyTarget(rawPath: "/i/01ABC") == nil && ProxyTarget(rawPath: "/v1/x") == nil && ProxyTarget(rawPath: "/i//open/") == nil)
    }

    @Test("the session cookie and a session bearer never reach the app; other cookies and headers do")
    func upstreamHeaders() throws {
        var incoming = HTTPFields()
        incoming[.cookie] = "theme=dark; platform_connect=pcs_secret; _xsrf=abc"
        incoming[.authorization] = "Bearer pcs_secret"
        incoming[.connection] = "keep-alive"
        incoming[HTTPField.Name("X-Forwarded-For")!] = "6.6.6.6"
        incoming[.accept] = "text/html"
        let headers = ConnectProxy.upstreamHeaders(incoming, authority: "portal.example:8080", prefix: "/i/A/open")
        #expect(headers["Cookie"] == ["theme=dark; _xsrf=abc"])
        #expect(headers["Authorization"].isEmpty && headers["Connection"].isEmpty && headers["X-Forwarded-For"].isEmpty)
        #expect(headers["Accept"] == ["text/html"] && headers["X-Forwarded-Prefix"] == ["/i/A/open"])
        #expect(headers["X-Forwarded-Host"] == ["portal.example:8080"])
        #expect(headers["X-Forwarded-Proto"] == ["http"])
        // A TLS listener tells the app https; a fronting proxy's own header still wins.
        #expect(ConnectProxy.upstreamHeaders(incoming, authority: nil, prefix: nil, scheme: "https")["X-Forwarded-Proto"] == ["https"])
        var behindProxy = incoming
        behindProxy[HTTPField.Name("X-Forwarded-Proto")!] = "http"
        #expect(ConnectProxy.upstreamHeaders(behindProxy, authority: nil, prefix: nil, scheme: "https")["X-Forwarded-Proto"] == ["http"])
        #expect(ConnectProxy.credential(incoming) == "pcs_secret")
        var cookieOnly = HTTPFields()
        cookieOnly[.cookie] = "a=1; platform_connect=pcs_fromcookie"
        #expect(ConnectProxy.credential(cookieOnly) == "pcs_fromcookie")
    }

    @Test("an app's Set-Cookie is scoped under the instance prefix; Domain, the platform's cookie and __Host- ones never pass",
          arguments: [
              ("a=1; Path=/; HttpOnly", "a=1; Path=/i/A/open/; HttpOnly"),
              ("a=1", "a=1; Path=/i/A/open/"),
              ("a=1; path=/lab; Domain=.example.com; SameSite=Strict", "a=1; Path=/i/A/open/lab; SameSite=Strict"),
              ("a=1; Path=/i/A/open/lab", "a=1; Path=/i/A/open/lab"),
              ("a=1; Path=/i/A/openx", "a=1; Path=/i/A/open/i/A/openx"),
              ("a=1; Path=relative", "a=1; Path=/i/A/open/"),
              ("__Secure-a=1; Secure; Path=/", "__Secure-a=1; Path=/i/A/open/; Secure"),
          ])
    func setCookieScoped(header: String, expected: String) {
        #expect(ConnectProxy.scopedSetCookie(header, prefix: "/i/A/open") == expected)
    }

    @Test("dropped app cookies", arguments: ["platform_connect=x; Path=/", "__Host-a=1; Path=/; Secure", "novalue", "=1", ""])
    func setCookieDropped(header: String) {
        #expect(ConnectProxy.scopedSetCookie(header, prefix: "/i/A/open") == nil)
    }

    @Test("WebSocket origins: only the platform's own; none (a program) passes; null and other sites do not")
    func originPolicy() {
        let policy = OriginPolicy(origins: ["http://127.0.0.1:8080", "https://Platform.Example/"])
        #expect(policy.allows(nil))
        #expect(policy.allows("http://127.0.0.1:8080") && policy.allows("https://platform.example") && policy.allows("https://platform.example:443"))
        #expect(!policy.allows("http://evil.example") && !policy.allows("null") && !policy.allows("http://127.0.0.1:8081"))
        #expect(!policy.allows("http://platform.example") && !policy.allows("https://platform.example.evil.example"))
    }
}
