import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import PlatformContracts
import PlatformTestKit
import Testing

/// platformd serving HTTPS itself (`--tls-cert`, `--tls-key`) with a certificate from a local
/// CA made by openssl here, as `scripts/demo.sh` does: real clients (skopeo, appctl, curl's
/// peer AsyncHTTPClient, openssl s_client) trust it through the CA alone, never
/// `--tls-verify=false`; a renewed certificate is served without a restart; an unusable one
/// is refused at start and ignored on reload.
@Suite("TLS listener with real clients and a real process", .serialized, .tags(.integration))
struct TLSListenerProcessTests {
    /// A CA and certificates it signs, made with the openssl command line.
    struct LocalCA {
        let directory: TemporaryDirectory
        var caCertificate: String { directory.appending("ca/ca.crt").path }

        static func make(in directory: TemporaryDirectory) async throws -> LocalCA {
            try FileManager.default.createDirectory(at: directory.appending("ca"), withIntermediateDirectories: true)
            try await shell("""
                openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj '/CN=platformd test CA' \
                  -keyout ca/ca.key -out ca/ca.crt
                """, in: directory)
            return LocalCA(directory: directory)
        }

        /// Issues a certificate for 127.0.0.1/localhost into `name.crt` and `name.key`.
        func issue(_ name: String, commonName: String) async throws {
            try await shell("""
                openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/CN=\(commonName)' -keyout \(name).key -out \(name).csr
                printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\nextendedKeyUsage=serverAuth\\n' > \(name).ext
                openssl x509 -req -in \(name).csr -CA ca/ca.crt -CAkey ca/ca.key -CAcreateserial -days 1 -extfile \(name).ext -out \(name).crt
                """, in: directory)
        }

        /// The serial number of the leaf certificate served on `port`, as openssl prints it.
        func servedSerial(port: Int) async throws -> String {
            let output = try await shell(
                "openssl s_client -connect 127.0.0.1:\(port) -CAfile ca/ca.crt -verify_return_error </dev/null 2>/dev/null | openssl x509 -noout -serial",
                in: directory, check: false)
            return output.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func serial(ofFile name: String) async throws -> String {
            try await shell("openssl x509 -noout -serial -in \(name).crt", in: directory).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    @discardableResult
    static func shell(_ script: String, in directory: TemporaryDirectory, check: Bool = true,
                      environment: [String: String] = [:]) async throws -> String {
        let log = "shell-\(UUID().uuidString).log"
        let process = try ChildProcess("/bin/bash", ["-c", "set -euo pipefail; cd '\(directory.url.path)'; \(script)"],
                                       environment: environment.merging(["PATH": "/usr/local/bin:/usr/bin:/bin"]) { $1 },
                                       outputPath: directory.appending(log).path)
        let code = await process.wait(timeout: .seconds(120))
        if check && code != 0 { Issue.record("\(script) exited \(code.map(String.init) ?? "late"):\n\(process.output)") }
        return process.output
    }

    /// A client that trusts only the test CA.
    static func client(trusting ca: String) -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(ca)
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.timeout.connect = .seconds(2)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    static func get(_ client: HTTPClient, _ url: String) async throws -> (UInt, HTTPHeaders, String) {
        let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (response.status.code, response.headers, String(buffer: body))
    }

    @Test("HTTPS with a local CA: skopeo and appctl trust it without --tls-verify=false, plain HTTP is refused at once, cookies are Secure, a renewed certificate is served without a restart and a broken one is ignored")
    func servesHTTPSAndReloads() async throws {
        try await withTemporaryDirectory { directory async throws in
            let ca = try await LocalCA.make(in: directory)
            try await ca.issue("server", commonName: "platformd first")
            let port = freeLocalPort()
            let process = try ChildProcess(ProcessLifecycleTests.binary, [
                "serve", "--data-dir", directory.appending("data").path,
                "--tls-cert", directory.appending("server.crt").path, "--tls-key", directory.appending("server.key").path,
            ], environment: ["PLATFORMD_LISTEN": "127.0.0.1:\(port)"], outputPath: directory.appending("platformd.log").path)
            defer { process.signal(SIGKILL) }
            let client = Self.client(trusting: ca.caCertificate)
            do {
                try await Self.exercise(process: process, client: client, ca: ca, directory: directory, port: port)
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    static func exercise(process: ChildProcess, client: HTTPClient, ca: LocalCA, directory: TemporaryDirectory, port: Int) async throws {
        let base = "https://127.0.0.1:\(port)"
        do {
            var live = false
            for _ in 0..<100 where !live {
                live = ((try? await Self.get(client, base + "/livez"))?.0 == 200)
                if !live { try await Task.sleep(for: .milliseconds(100)) }
            }
            try #require(live, "platformd did not come up over HTTPS:\n\(process.output)")
            let key = try String(contentsOf: directory.appending("data/bootstrap-admin.key"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)

            // Plain HTTP to the TLS listener fails at once, not after a client timeout.
            let plainStarted = ContinuousClock.now
            let plain = try? await Self.get(HTTPClient.shared, "http://127.0.0.1:\(port)/livez")
            #expect(plain == nil || plain?.0 != 200, "plain HTTP is not served on the TLS listener")
            #expect(ContinuousClock.now - plainStarted < .seconds(3))

            // The console's sign-in cookie is Secure.
            let (signInStatus, signInHeaders, _) = try await Self.get(client, base + "/console/sign-in")
            #expect(signInStatus == 200)
            let cookies = signInHeaders["Set-Cookie"]
            #expect(!cookies.isEmpty && cookies.allSatisfy { $0.contains("; Secure") }, "\(cookies)")

            // appctl trusts the CA through APPCTL_CA_FILE, and refuses the server without it.
            let home = directory.appending("home").path
            let appctlEnvironment = ["APPCTL_SERVER": base, "APPCTL_TOKEN": key, "HOME": home, "APPCTL_CONFIG": home + "/appctl.yaml"]
            let trusted = try ChildProcess(InstanceProcessTests.appctl, ["whoami"],
                                           environment: appctlEnvironment.merging(["APPCTL_CA_FILE": ca.caCertificate]) { $1 },
                                           outputPath: directory.appending("appctl-trusted.log").path)
            #expect(await trusted.wait(timeout: .seconds(60)) == 0, "\(trusted.output)")
            let untrusted = try ChildProcess(InstanceProcessTests.appctl, ["whoami"], environment: appctlEnvironment,
                                             outputPath: directory.appending("appctl-untrusted.log").path)
            #expect(await untrusted.wait(timeout: .seconds(60)) != 0, "a server certificate from an unknown CA is refused")
            #expect(untrusted.output.lowercased().contains("certificate"), "\(untrusted.output)")

            // skopeo pushes and inspects through the CA in a cert dir (ca.crt), TLS verified.
            try await Self.skopeoRoundTrip(directory: directory, ca: ca, port: port, key: key, client: client, base: base)

            // A renewed certificate is served to new connections within the watcher's interval.
            let firstSerial = try await ca.servedSerial(port: port)
            #expect(firstSerial == (try await ca.serial(ofFile: "server")), "openssl s_client sees the first certificate")
            try await ca.issue("renewed", commonName: "platformd renewed")
            let renewedSerial = try await ca.serial(ofFile: "renewed")
            try await Self.shell("cp renewed.key server.key.new && cp renewed.crt server.crt.new && mv server.key.new server.key && mv server.crt.new server.crt",
                                 in: directory)
            let replacedAt = ContinuousClock.now
            var served = firstSerial
            while served != renewedSerial, ContinuousClock.now - replacedAt < .seconds(15) {
                try await Task.sleep(for: .milliseconds(100))
                served = try await ca.servedSerial(port: port)
            }
            print("figure: a renewed TLS certificate was served \(ContinuousClock.now - replacedAt) after its files were replaced (watch interval 2 s)")
            #expect(served == renewedSerial, "the renewed certificate is served without a restart")
            #expect(try await Self.get(client, base + "/livez").0 == 200)

            // A broken pair (the first key with the renewed certificate) is not taken: the
            // renewed one stays in service and the refusal is logged.
            try await Self.shell("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out other.key && cp other.key server.key", in: directory)
            let brokenAt = ContinuousClock.now
            while !process.output.contains("TLS certificate not reloaded"), ContinuousClock.now - brokenAt < .seconds(10) {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(process.output.contains("is not the key of the certificate"), "the refused pair is logged with why")
            #expect(try await ca.servedSerial(port: port) == renewedSerial, "the last good certificate stays in service")
            #expect(try await Self.get(client, base + "/livez").0 == 200)
        }
    }

    static func skopeoRoundTrip(directory: TemporaryDirectory, ca: LocalCA, port: Int, key: String, client: HTTPClient, base: String) async throws {
        let certDirectory = directory.appending("skopeo-certs")
        try FileManager.default.createDirectory(at: certDirectory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: ca.caCertificate, toPath: certDirectory.appendingPathComponent("ca.crt").path)
        var request = HTTPClientRequest(url: base + "/v1/tenants")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        request.body = .bytes(ByteBuffer(string: #"{"name":"acme"}"#))
        let tenant = try JSONDecoder().decode(Tenant.self, from: Data(try await client.execute(request, timeout: .seconds(10)).body.collect(upTo: 1 << 20).readableBytesView))
        request = HTTPClientRequest(url: base + "/v1/tenants/\(tenant.id)/projects")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        request.body = .bytes(ByteBuffer(string: #"{"name":"apps"}"#))
        let project = try JSONDecoder().decode(Project.self, from: Data(try await client.execute(request, timeout: .seconds(10)).body.collect(upTo: 1 << 20).readableBytesView))
        let image = directory.appending("image").path
        try await shell("bash '\(RegistryProcessTests.repositoryRoot.appendingPathComponent("scripts/oci/make-image.sh").path)' '\(image)'", in: directory)
        let target = "docker://127.0.0.1:\(port)/\(project.id.lowercased())/app:v1"
        try await shell("skopeo copy --dest-cert-dir '\(certDirectory.path)' --dest-creds 'ci:\(key)' 'oci:\(image):v1' '\(target)'", in: directory)
        let inspected = try await shell("skopeo inspect --cert-dir '\(certDirectory.path)' --creds 'ci:\(key)' '\(target)'", in: directory)
        #expect(inspected.contains("\"Digest\""), "\(inspected)")
    }

    @Test("an unusable TLS pair stops platformd at start with exit 78 and why: a key that is not the certificate's, a certificate without its key")
    func unusablePairRefusedAtStart() async throws {
        try await withTemporaryDirectory { directory async throws in
            let ca = try await LocalCA.make(in: directory)
            try await ca.issue("server", commonName: "platformd")
            try await Self.shell("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out other.key", in: directory)
            for (name, arguments, why) in [
                ("mismatched", ["--tls-cert", directory.appending("server.crt").path, "--tls-key", directory.appending("other.key").path],
                 "is not the key of the certificate"),
                ("alone", ["--tls-cert", directory.appending("server.crt").path], "needs its private key too"),
                ("garbage", ["--tls-cert", directory.appending("server.csr").path, "--tls-key", directory.appending("server.key").path],
                 "holds no PEM CERTIFICATE"),
            ] {
                let process = try ChildProcess(ProcessLifecycleTests.binary, ["serve", "--data-dir", directory.appending("data-\(name)").path] + arguments,
                                               environment: ["PLATFORMD_LISTEN": "127.0.0.1:\(freeLocalPort())"],
                                               outputPath: directory.appending("\(name).log").path)
                #expect(await process.wait(timeout: .seconds(60)) == 78, "\(name): \(process.output)")
                #expect(process.output.contains(why), "\(name): \(process.output)")
            }
            _ = ca
        }
    }
}
