import AsyncHTTPClient
import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOCore
import NIOHTTP1
import NIOWebSocket
import PlatformContracts
import PlatformTestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `appctl instance exec` end to end on the real `platformd` with the local (runc) adapter:
/// a command's output and exit status through appctl, a deadline that kills the command, an
/// interactive session with a terminal (through appctl with piped input, and driven frame by
/// frame through the WebSocket, resize included), the refusals (a key without the scope, a
/// foreign project, a stopped instance) and the audit records, which never hold output.
@Suite("Instance exec end to end (real platformd, runc, appctl)", .serialized, .tags(.integration))
struct InstanceExecProcessTests {
    typealias Session = InstanceProcessTests.Session
    static let logger = Logger(label: "exec-test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test("exec through appctl (output, exit status, deadline) and -it over the WebSocket (a terminal, resize); 403, 404, 409; audited without output")
    func execThroughAppctl() async throws {
        try await withTemporaryDirectory { directory async throws in
            var daemon = try await InstanceProcessTests.startDaemon(directory, cluster: nil, round: 0)
            do {
                try await daemon.makeProject()
                let project = String(daemon.repository.split(separator: "/")[0]).uppercased()
                try await scenario(Session(daemon: daemon, project: project, directory: directory, cluster: nil))
            } catch {
                daemon.process.signal(SIGKILL)
                await InstanceProcessTests.killContainers(directory)
                throw error
            }
            daemon.process.signal(SIGKILL)
            await InstanceProcessTests.killContainers(directory)
        }
    }

    func scenario(_ session: Session) async throws {
        let daemon = session.daemon, project = session.project
        try await session.publishReferenceApp()
        let (_, launched) = try await session.json(InstanceRecord.self, .POST, "/v1/projects/\(project)/instances",
                                                   body: #"{"app":"gpu-echo","environment":"staging","adapter":"local"}"#)
        let instance = try await session.waitFor(try #require(launched?.id), phases: ["ready", "failed"])
        try #require(instance.phase == .ready, "\(instance)")

        // Non-interactive: what it printed, and appctl exits with its status. It is the
        // instance's user namespace: uid 0 inside, an unprivileged range outside.
        let (status, output) = try await session.appctl(
            ["instance", "exec", instance.id, "--project", project, "--", "/bin/sh", "-c",
             "echo marker-$((6*7)); id -u; cat /proc/self/uid_map; echo to-stderr >&2; exit 3"], log: "exec.log")
        #expect(status == 3, "\(output)")
        #expect(output.contains("marker-42") && output.contains("to-stderr"), "\(output)")
        let mapping = output.split(separator: "\n").first { $0.split(whereSeparator: \.isWhitespace).count == 3 }?
            .split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        #expect(mapping?.first == 0 && (mapping?[1] ?? 0) >= 1_000_000_000, "\(output)")

        // A deadline kills the command itself: 124, well before the command would end.
        let started = ContinuousClock.now
        let (timedOut, timedOutput) = try await session.appctl(
            ["instance", "exec", instance.id, "--project", project, "--timeout", "1", "--", "/bin/sleep", "30"], log: "exec-timeout.log")
        #expect(timedOut == 124 && ContinuousClock.now - started < .seconds(20), "\(timedOutput)")
        let (_, leftovers) = try await session.appctl(
            ["instance", "exec", instance.id, "--project", project, "--", "/bin/sh", "-c", "cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' ' ' | grep -o 'sleep 3[0]' | wc -l"],
            log: "exec-ps.log")
        #expect(leftovers.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("0"), "the killed sleep is gone: \(leftovers)")

        // -it with input from a pipe: the command still gets a terminal (it is not appctl's stdin).
        let script = session.directory.appending("it.sh").path
        try Data("""
            printf 'tty\\nexit 4\\n' | "$1" instance exec -it "$2" --project "$3" -- /bin/sh
            """.utf8).write(to: URL(fileURLWithPath: script))
        let interactive = try ChildProcess("/bin/sh", [script, InstanceProcessTests.appctl, instance.id, project],
                                           environment: session.environment, outputPath: session.directory.appending("exec-it.log").path)
        let interactiveStatus = await interactive.wait(timeout: .seconds(60))
        #expect(interactiveStatus == 4 && interactive.output.contains("/dev/pts/"), "\(interactive.output)")

        // The WebSocket itself: a terminal of the asked size, resized by a frame, and the exit frame.
        let terminal = try await Self.terminalSession(daemon, project: project, instance: instance.id, token: daemon.key)
        #expect(terminal.contains("rows=30 cols=100") && terminal.contains("rows=50 cols=132") && terminal.contains(#"{"exit":5}"#), "\(terminal)")

        // A key without apps:instance:exec: 403 on the route, iam.forbidden on the WebSocket.
        let viewer = try await Self.key(daemon, tenantName: nil, project: project, role: "viewer", scopes: ["apps:instance:read"])
        let execPath = "/v1/projects/\(project)/instances/\(instance.id)/exec"
        let body = Data(#"{"command":["/bin/true"]}"#.utf8)
        let denied = try await viewer.call(.POST, execPath, body: body)
        #expect(denied.0 == 403 && String(decoding: denied.2, as: UTF8.self).contains("iam.forbidden"), "\(String(decoding: denied.2, as: UTF8.self))")
        let deniedTerminal = try await Self.terminalSession(daemon, project: project, instance: instance.id, token: viewer.key, script: false)
        #expect(deniedTerminal.contains("iam.forbidden"), "\(deniedTerminal)")
        // Another tenant's developer (who holds the scope in its own project): the instance does not exist for it.
        let foreign = try await Self.key(daemon, tenantName: "rival", project: nil, role: "developer", scopes: ["apps:instance:exec"])
        let hidden = try await foreign.call(.POST, execPath, body: body)
        #expect(hidden.0 == 404, "\(String(decoding: hidden.2, as: UTF8.self))")
        let hiddenTerminal = try await Self.terminalSession(daemon, project: project, instance: instance.id, token: foreign.key, script: false)
        #expect(hiddenTerminal.contains("iam.not_found"), "\(hiddenTerminal)")

        // A stopped instance runs nothing.
        _ = try await session.json(InstanceRecord.self, .POST, "/v1/projects/\(project)/instances/\(instance.id)/stop", body: "{}")
        _ = try await session.waitFor(instance.id, phases: ["stopped", "failed"])
        let conflict = try await daemon.call(.POST, execPath, body: body)
        #expect(conflict.0 == 409 && String(decoding: conflict.2, as: UTF8.self).contains("apps.instance_phase_conflict"),
                "\(String(decoding: conflict.2, as: UTF8.self))")

        // Audited: program, TTY, status; never the output or the arguments.
        let (_, _, records) = try await daemon.call(.GET, "/v1/audit/records?action=apps.instance.exec&limit=100")
        let text = String(decoding: records, as: UTF8.self)
        let parsed = try JSONSerialization.jsonObject(with: records) as? [[String: Any]] ?? []
        let details = parsed.compactMap { $0["details"] as? [String: String] }
        #expect(details.contains { $0["command"] == "/bin/sh" && $0["tty"] == "false" && $0["status"] == "3" }, "\(text)")
        #expect(details.contains { $0["command"] == "/bin/sleep" && $0["status"] == "124" }, "\(text)")
        #expect(details.contains { $0["tty"] == "true" && $0["status"] == "started" }, "\(text)")
        #expect(details.contains { $0["tty"] == "true" && $0["status"] == "5" }, "\(text)")
        #expect(!text.contains("marker") && !text.contains("to-stderr") && !text.contains("uid_map"), "\(text)")
    }

    /// A key of a new service account with `role` in `project` (or in a new project of a new tenant).
    static func key(_ daemon: RegistryProcessTests.Daemon, tenantName: String?, project: String?, role: String,
                    scopes: [String]) async throws -> RegistryProcessTests.Daemon {
        var projectID = project ?? ""
        if let tenantName {
            let tenant = try JSONDecoder().decode(Tenant.self, from: try await daemon.call(.POST, "/v1/tenants", body: Data(#"{"name":"\#(tenantName)"}"#.utf8)).2)
            projectID = try JSONDecoder().decode(Project.self, from: try await daemon.call(
                .POST, "/v1/tenants/\(tenant.id)/projects", body: Data(#"{"name":"elsewhere"}"#.utf8)).2).id
        }
        let account = try JSONDecoder().decode(ServiceAccount.self, from: try await daemon.call(
            .POST, "/v1/projects/\(projectID)/serviceaccounts", body: Data(#"{"name":"\#(role)-exec","role":"\#(role)"}"#.utf8)).2)
        let scopeList = scopes.map { "\"\($0)\"" }.joined(separator: ",")
        let issued = try JSONDecoder().decode(IssuedKey.self, from: try await daemon.call(.POST, "/v1/keys", body: Data("""
            {"serviceAccount":"\(account.id)","scopes":[\(scopeList)],"expiresInSeconds":3600}
            """.utf8)).2)
        return RegistryProcessTests.Daemon(process: daemon.process, base: daemon.base, port: daemon.port, key: issued.key)
    }

    /// Opens the terminal WebSocket on `/bin/sh` at 30×100 and, when `script`, asks `stty size`,
    /// resizes to 50×132, asks again and exits 5; returns everything received (text frames as is).
    static func terminalSession(_ daemon: RegistryProcessTests.Daemon, project: String, instance: String, token: String,
                                script: Bool = true) async throws -> String {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        let url = daemon.base.replacingOccurrences(of: "http://", with: "ws://")
            + "/v1/projects/\(project)/instances/\(instance)/exec/terminal?command=%2Fbin%2Fsh&rows=30&columns=100"
        let received = ReceivedText()
        try await WebSocketClient.connect(url: url, configuration: .init(maxFrameSize: 1 << 20, additionalHeaders: headers), logger: logger) { inbound, outbound, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        switch message {
                        case .text(let text): received.append(text)
                        case .binary(let buffer): received.append(String(buffer: buffer))
                        }
                    }
                }
                if script {
                    // Type only once the shell shows its prompt: a line typed ahead of it was
                    // once read by an ash still setting up its terminal (CI: `stty: standard
                    // input`). One retry covers that start-up race; the size must still be right.
                    try await received.waitFor("# ")
                    try await askSize(expecting: "rows=30 cols=100")
                    try await outbound.write(.text(#"{"resize":{"rows":50,"columns":132}}"#))
                    try await Task.sleep(for: .milliseconds(300))
                    try await askSize(expecting: "rows=50 cols=132")
                    try await outbound.write(.binary(ByteBuffer(string: "exit 5\n")))
                }
                func askSize(expecting answer: String) async throws {
                    for attempt in 1...2 {
                        let failuresBefore = received.text.components(separatedBy: "stty:").count
                        try await outbound.write(.binary(ByteBuffer(string: "stty size | sed 's/^/rows=/; s/ / cols=/'\n")))
                        if try await received.waitFor(answer, unless: { $0.components(separatedBy: "stty:").count > failuresBefore }) {
                            return
                        }
                        print("InstanceExecProcessTests: stty failed on attempt \(attempt): \(received.text.suffix(300))")
                    }
                    throw TestImageError(message: "stty size failed twice: \(received.text)")
                }
                try await group.next()
                group.cancelAll()
            }
        }
        return received.text
    }

    /// What a WebSocket received, for the sending side to wait on.
    final class ReceivedText: @unchecked Sendable {
        private let lock = NSLock()
        private var value = ""
        var text: String { lock.withLock { value } }
        func append(_ text: String) { lock.withLock { value += text } }

        func waitFor(_ needle: String) async throws {
            guard try await waitFor(needle, unless: { _ in false }) else { throw TestImageError(message: "no \(needle) in \(text)") }
        }

        /// Waits for `needle`; false as soon as `failed` holds of the text first.
        func waitFor(_ needle: String, unless failed: (String) -> Bool) async throws -> Bool {
            for _ in 0..<200 {
                let now = text
                if now.contains(needle) { return true }
                if failed(now) { return false }
                try await Task.sleep(for: .milliseconds(50))
            }
            throw TestImageError(message: "no \(needle) in \(text)")
        }
    }
}
