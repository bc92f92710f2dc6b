import Foundation
import LocalRuntimeAdapter
import PlatformContracts
import RuntimeKit
import Testing

/// Issue 21, point 6: a command run with `appctl instance exec` (plain or with a terminal)
/// is inside the instance's isolation, not beside it: the same network, user, mount and pid
/// namespaces as the app (none of the host's), the unprivileged uid range, the same seccomp
/// filter, no new privileges and the app's three capabilities.
extension LocalAdapterIsolationTests {
    @Test("an exec'd command, plain or under a terminal, is in the instance's namespaces and uid range, under its seccomp filter and capabilities")
    func execStaysInsideTheInstance() async throws {
        try await withIsolationFixture { fixture in
            let a = try await fixture.start("ISO-EXEC", "trap 'exit 0' TERM; echo serving; while true; do sleep 0.2; done")
            _ = try await fixture.running(a)
            _ = try await eventually { () -> Bool? in
                let chunk = try? LogChunk.read(fixture.root.appendingPathComponent("ISO-EXEC/output.log").path, from: 0)
                return String(decoding: chunk?.data ?? [], as: UTF8.self).contains("serving") ? true : nil
            }
            let kinds = ["net", "user", "mnt", "pid", "ipc", "uts"]
            let status = try await fixture.hostStatus(of: "ISO-EXEC")
            let appPID = try #require(status["Pid"].flatMap { Int($0) })
            let app = try kinds.map { try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(appPID)/ns/\($0)") }
            let host = try kinds.map { try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/\($0)") }
            for (kind, pair) in zip(kinds, zip(app, host)) { #expect(pair.0 != pair.1, "the app shares the host's \(kind) namespace") }

            let probe = "for k in \(kinds.joined(separator: " ")); do readlink /proc/self/ns/$k; done; "
                + "grep -E '^(Uid|Seccomp|NoNewPrivs|CapEff|CapBnd):' /proc/self/status; cat /proc/self/uid_map"
            let plain = try await fixture.adapter.exec(a, command: ["/bin/sh", "-c", probe], timeout: .seconds(30))
            #expect(plain.status == 0, "\(plain)")
            Self.expectConfined(plain.output, namespaces: app)

            // The same under a terminal (runc exec -t).
            let terminal = try await fixture.adapter.openTerminal(a, command: ["/bin/sh", "-c", probe + "; echo done-probing"],
                                                                  size: TerminalSize(rows: 24, columns: 200))
            var screen = ""
            while let bytes = await terminal.read() { screen += String(decoding: bytes, as: UTF8.self) }
            #expect(await terminal.close() == 0, "\(screen)")
            #expect(screen.contains("done-probing"), "\(screen)")
            Self.expectConfined(screen.replacingOccurrences(of: "\r", with: ""), namespaces: app)
            try await fixture.adapter.destroy(a)
        }
    }

    /// The probe's output names the app's namespaces, container uid 0 mapped to an unprivileged
    /// host range, seccomp filter mode, no new privileges and only the app's capabilities.
    static func expectConfined(_ output: String, namespaces: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let lines = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        for namespace in namespaces { #expect(lines.contains(namespace), "not in \(namespace): \(output)", sourceLocation: sourceLocation) }
        let field = { (name: String) in lines.first { $0.hasPrefix(name + ":") }?.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces) }
        #expect(field("Uid")?.split(whereSeparator: \.isWhitespace).allSatisfy { $0 == "0" } == true, "\(output)", sourceLocation: sourceLocation)
        #expect(field("Seccomp") == "2" && field("NoNewPrivs") == "1", "\(output)", sourceLocation: sourceLocation)
        // CAP_AUDIT_WRITE (29), CAP_KILL (5), CAP_NET_BIND_SERVICE (10), nothing else.
        let expected: UInt64 = (1 << 29) | (1 << 5) | (1 << 10)
        #expect(field("CapEff").flatMap { UInt64($0, radix: 16) } == expected, "\(output)", sourceLocation: sourceLocation)
        #expect(field("CapBnd").flatMap { UInt64($0, radix: 16) } == expected, "\(output)", sourceLocation: sourceLocation)
        let mapping = lines.first { $0.split(whereSeparator: \.isWhitespace).count == 3 && $0.hasPrefix("0") }?
            .split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        #expect(mapping?.first == 0 && (mapping?[1] ?? 0) >= 1_000_000_000 && mapping?[2] == 65536, "\(output)", sourceLocation: sourceLocation)
    }
}
