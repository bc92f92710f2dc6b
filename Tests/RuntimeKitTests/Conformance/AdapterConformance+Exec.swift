import Foundation
import PlatformContracts
import RuntimeKit
import Testing

/// `appctl instance exec` at the adapter: what an adapter declares is what it does, and an
/// adapter with terminals runs a command in the instance (its image, its environment), gives
/// back its status and output, kills it at its deadline, and gives an interactive command a
/// terminal of the asked size that follows a resize.
extension AdapterConformanceTests {
    @Test("exec: declared exactly when supported; status and output from inside; a deadline kills the command; a terminal that resizes",
          arguments: AdapterKind.allCases)
    func execRunsInsideTheInstance(_ kind: AdapterKind) async throws {
        let fixture = try await ConformanceEnvironment.fixture(kind)
        let adapter = fixture.adapter
        #expect(adapter.capabilities.exec == (adapter is any RuntimeExecSupport), "capabilities.exec says what the adapter does")
        guard let exec = adapter as? any RuntimeTerminalSupport else { return }
        let service = fixture.spec("CONF-EXEC", mode: .service, .serveUntilStopped)
        let handle = try await adapter.start(service, plan: try await adapter.plan(service))
        try await waitUntil(adapter, handle) { $0.state == .running }
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while try await !allLogs(adapter, handle).contains("serving"), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }

        let ran = try await exec.exec(handle, command: ["/bin/sh", "-c", "cat /etc/greeting; echo id=$PLATFORM_INSTANCE_ID; exit 7"],
                                      timeout: .seconds(30))
        #expect(ran.status == 7 && ran.output == "hello from layer 2\nid=CONF-EXEC\n", "\(ran)")

        let started = ContinuousClock.now
        let killed = try await exec.exec(handle, command: ["/bin/sleep", "60"], timeout: .seconds(1))
        #expect(killed.status == RuntimeTerminal.timedOutStatus && ContinuousClock.now - started < .seconds(15), "\(killed)")
        let left = try await exec.exec(handle, command: ["/bin/sh", "-c", "cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' ' ' | grep -o 'sleep 6[0]' | wc -l"],
                                       timeout: .seconds(30))
        #expect(left.output.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "the command itself was killed: \(left)")

        let terminal = try await exec.openTerminal(handle, command: ["/bin/sh"], size: TerminalSize(rows: 33, columns: 91))
        var screen = ""
        // Every read is bounded: a terminal that stays silent fails the test at 20 s instead
        // of holding the lane (RuntimeTerminal.read returns nil once its task is cancelled).
        func read(until deadline: ContinuousClock.Instant) async -> [UInt8]? {
            await withTaskGroup(of: [UInt8]?.self) { group in
                group.addTask { await terminal.read() }
                group.addTask { try? await Task.sleep(until: deadline); return nil }
                let first = await group.next() ?? nil
                group.cancelAll()
                return first
            }
        }
        func readUntil(_ needles: String...) async throws -> String {
            let until = ContinuousClock.now.advanced(by: .seconds(20))
            while true {
                if let found = needles.first(where: screen.contains) { return found }
                guard let bytes = await read(until: until) else {
                    throw ConformanceFailure(message: "no \(needles) on the terminal: \(screen)")
                }
                screen += String(decoding: bytes, as: UTF8.self)
            }
        }
        // The shell answers before anything is asked of its terminal (a `stty` typed while the
        // exec client was still attaching once printed `stty: standard input` and nothing else).
        try await terminal.write(Array("echo ready-$((6*7))\n".utf8))
        _ = try await readUntil("ready-42")
        for attempt in 1...2 {
            screen = ""
            try await terminal.write(Array("stty size | sed 's/^/size=/'; tty\n".utf8))
            if try await readUntil("size=33 91", "stty:") == "size=33 91" || attempt == 2 { break }
        }
        #expect(screen.contains("size=33 91"), "\(screen)")
        _ = try await readUntil("/dev/pts/")
        terminal.resize(TerminalSize(rows: 40, columns: 120))
        try await Task.sleep(for: .milliseconds(300))
        try await terminal.write(Array("stty size | sed 's/^/size=/'\n".utf8))
        _ = try await readUntil("size=40 120")
        try await terminal.write(Array("exit 9\n".utf8))
        let drained = ContinuousClock.now.advanced(by: .seconds(20))
        while await read(until: drained) != nil {}
        #expect(await terminal.close() == 9, "\(screen)")

        try await adapter.stop(handle, grace: .seconds(10))
        try await adapter.destroy(handle)
    }
}
