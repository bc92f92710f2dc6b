import AsyncHTTPClient
import Foundation
import HTTPTypes
import PlatformContracts
import PlatformStore
import NIOCore
import NIOHTTP1
import PlatformTestKit
import SQLKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real `platformd` binary: start, serve, stop on SIGTERM, restart.
@Suite("platformd process")
struct ProcessLifecycleTests {
    static var binary: String { builtProductsDirectory().appendingPathComponent("platformd").path }

    func get(_ url: String) async -> (Int, String)? {
        guard let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(2)),
              let body = try? await response.body.collect(upTo: 1 << 20)
        else { return nil }
        return (Int(response.status.code), String(buffer: body))
    }

    func waitUntilLive(_ base: String, process: ChildProcess) async throws {
        for _ in 0..<100 {
            if let (status, _) = await get("\(base)/livez"), status == 200 { return }
            if await process.wait(timeout: .zero) != nil { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("platformd did not come up; output:\n\(process.output)")
        throw CancellationError()
    }

    @Test("serves, exits 0 on SIGTERM with JSON logs, and a restart keeps the installation id")
    func sigtermAndRestart() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary), "build platformd first: \(Self.binary)")
        try await withTemporaryDirectory { directory async throws in
            var ids: [String] = []
            for round in 0..<2 {
                let port = freeLocalPort()
                let base = "http://127.0.0.1:\(port)"
                let process = try ChildProcess(
                    Self.binary, ["serve", "--data-dir", directory.appending("data").path],
                    environment: ["PLATFORMD_LISTEN": "127.0.0.1:\(port)"],
                    outputPath: directory.appending("out-\(round).log").path)
                do {
                    try await waitUntilLive(base, process: process)
                    let ready = await get("\(base)/readyz")
                    #expect(ready?.0 == 200)
                    let version = try #require(await get("\(base)/version"))
                    let info = try JSONDecoder().decode(VersionInfo.self, from: Data(version.1.utf8))
                    ids.append(info.installationId ?? "")
                    process.signal(SIGTERM)
                    let code = await process.wait(timeout: .seconds(90))
                    #expect(code == 0, "exit status after SIGTERM; output:\n\(process.output)")
                    let lines = process.output.split(separator: "\n")
                    #expect(lines.contains { $0.contains(#""message":"platformd listening""#) })
                    #expect(lines.contains { $0.contains(#""message":"platformd stopped""#) })
                    for line in lines {
                        #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "not JSON: \(line)")
                    }
                } catch {
                    await process.terminate()
                    throw error
                }
                await process.terminate()
            }
            #expect(ids.count == 2 && !ids[0].isEmpty && ids[0] == ids[1])
        }
    }

    @Test("a connection that never sends a request does not hold up SIGTERM")
    func silentConnectionDoesNotBlockShutdown() async throws {
        try await withTemporaryDirectory { directory async throws in
            let port = freeLocalPort()
            let process = try ChildProcess(
                Self.binary, ["serve", "--data-dir", directory.appending("data").path],
                environment: ["PLATFORMD_LISTEN": "127.0.0.1:\(port)"], outputPath: directory.appending("out.log").path)
            do {
                try await waitUntilLive("http://127.0.0.1:\(port)", process: process)
                // A raw TCP connection that says nothing (the WebSocket-upgrade channel waits for a first request).
                let silent = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                defer { close(silent) }
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = UInt16(port).bigEndian
                address.sin_addr.s_addr = inet_addr("127.0.0.1")
                let connected = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(silent, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
                try #require(connected == 0)
                try await Task.sleep(for: .milliseconds(300))
                let started = ContinuousClock.now
                process.signal(SIGTERM)
                let code = await process.wait(timeout: .seconds(20))
                #expect(code == 0, "\(process.output)")
                #expect(ContinuousClock.now - started < .seconds(10), "stopped \(ContinuousClock.now - started) after SIGTERM")
            } catch {
                await process.terminate()
                throw error
            }
            await process.terminate()
        }
    }

    @Test("a database schema newer than the build: platformd refuses to start and exits 65")
    func newerSchemaExit() async throws {
        try await withTemporaryDirectory { directory async throws in
            let data = directory.appending("data")
            let store = try await SQLStore.open(.sqlite(path: data.appendingPathComponent("platform.db").path), logger: quietLogger)
            try await Migrator(store: store, sets: [CoreSchema.migrations]).migrate()
            try await store.transaction { db in
                try await db.insert(into: Migrator.table).columns("module", "version", "name", "applied_at")
                    .values(SQLBind("core"), SQLBind(2), SQLBind("from a newer platformd"), SQLBind(Timestamp.now().rfc3339))
                    .run()
            }
            await store.shutdown()
            let process = try ChildProcess(
                Self.binary, ["serve", "--data-dir", data.path, "--listen", "127.0.0.1:\(freeLocalPort())"],
                outputPath: directory.appending("out.log").path)
            let code = await process.wait(timeout: .seconds(90))
            #expect(code == 65, "output:\n\(process.output)")
            #expect(process.output.contains("newer than the v1 this platformd"))
            #expect(process.output.contains("store.schema_too_new"))
        }
    }

    @Test("an invalid configuration exits 78 with the reason on stderr")
    func invalidConfigurationExit() async throws {
        try await withTemporaryDirectory { directory async throws in
            let process = try ChildProcess(
                Self.binary, ["serve", "--data-dir", directory.path, "--listen", "no-port-here"],
                outputPath: directory.appending("out.log").path)
            let code = await process.wait(timeout: .seconds(90))
            #expect(code == 78)
            #expect(process.output.contains("has no port"))
        }
    }
}
