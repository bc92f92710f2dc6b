import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PlatformTestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `platformd`'s `/portal/` in a real browser: headless Chromium driven by Selenium
/// (`scripts/portal/browser_check.py`) crawls every link from the home page, counts the
/// matrix rows against `manifests/apps/`, and screenshots the onboarding overview and the
/// matrix into `.build/portal-screenshots/`.
@Suite("Portal in headless Chromium (real platformd, Selenium)", .serialized, .tags(.integration))
struct PortalBrowserTests {
    static let root = InstanceProcessTests.root
    static let screenshots = root.appendingPathComponent(".build/portal-screenshots")

    @Test("/portal/ serves the preview; every internal link resolves in Chromium; one matrix row per app; screenshots written")
    func portalInChromium() async throws {
        try await withTemporaryDirectory { directory async throws in
            let daemon = try await InstanceProcessTests.startDaemon(directory, cluster: nil, round: 0)
            defer { daemon.process.signal(SIGKILL) }
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
            let bare = try await client.execute(HTTPClientRequest(url: daemon.base + "/portal"), timeout: .seconds(10))
            #expect(bare.status == .permanentRedirect && bare.headers.first(name: "Location") == "/portal/")
            let home = try await client.execute(HTTPClientRequest(url: daemon.base + "/portal/"), timeout: .seconds(10))
            #expect(home.status == .ok && home.headers.first(name: "Content-Type") == "text/html; charset=utf-8")
            let missing = try await client.execute(HTTPClientRequest(url: daemon.base + "/portal/no-such-page.html"), timeout: .seconds(10))
            let body = String(buffer: try await missing.body.collect(upTo: 1 << 16))
            #expect(missing.status == .notFound && body.contains("http.not_found"), "\(body)")
            try await client.shutdown()

            try? FileManager.default.removeItem(at: Self.screenshots)
            let apps = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("manifests/apps").path)
                .filter { $0.hasSuffix(".yaml") }.sorted().map { Self.root.appendingPathComponent("manifests/apps/\($0)").path }
            let check = try ChildProcess("/usr/bin/env", [
                "python3", Self.root.appendingPathComponent("scripts/portal/browser_check.py").path,
                daemon.base + "/portal/", Self.screenshots.path, "--apps",
            ] + apps, outputPath: directory.appending("browser.log").path)
            let status = await check.wait(timeout: .seconds(240))
            if status == nil { check.signal(SIGKILL) }
            #expect(status == 0, "\(check.output)")
            #expect(check.output.contains("matrix: \(apps.count) rows for \(apps.count) supported apps"), "\(check.output)")
            for name in ["onboarding.png", "matrix.png"] {
                let png = try Data(contentsOf: Self.screenshots.appendingPathComponent(name))
                #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) && png.count > 20_000, "\(name): \(png.count) bytes")
            }
        }
    }
}
