import Foundation
import NIOHTTP1
import PlatformContracts
import PlatformStore
import PlatformTestKit
import SQLKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The outbox's promises end to end (issue 18, "Done when"), with the real `platformd`, the
/// real producers (`publish.sh` promoting gpu-echo, `appctl launch` on runc) and the Standard
/// Webhooks reference receiver (scripts/webhooks/receiver.sh), which verifies every signature
/// and deduplicates by `webhook-id`:
/// - a `kill -9` after the state changes commit and before the dispatcher runs loses nothing
///   and the receiver accepts each event exactly once after the restart;
/// - a receiver down for 3 attempts still gets the event; one always down ends in dead
///   letter, and a retry from dead letter (the HTTP API) delivers it.
@Suite("Notifications end to end: kill -9 before dispatch, retries, dead letters", .serialized, .tags(.integration))
struct NotificationProcessTests {
    /// One running reference receiver and its record (JSON lines, one per request).
    struct Receiver {
        let process: ChildProcess
        let record: URL

        /// Starts scripts/webhooks/receiver.sh on `port`, answering 503 to the first `failFirst` deliveries.
        static func start(_ directory: TemporaryDirectory, port: Int, secret: String, failFirst: Int = 0) async throws -> Receiver {
            let record = directory.appending("deliveries-\(port).jsonl")
            let process = try ChildProcess("/bin/bash", [
                InstanceProcessTests.root.appendingPathComponent("scripts/webhooks/receiver.sh").path, "serve",
                String(port), secret, record.path, "204", String(failFirst),
            ], outputPath: directory.appending("receiver-\(port).log").path)
            // The first run creates the venv from PyPI, hence the generous wait.
            for _ in 0..<2400 where !process.output.contains("listening on") {
                if let code = await process.wait(timeout: .milliseconds(100)) {
                    Issue.record("receiver exited \(code): \(process.output)")
                    break
                }
            }
            try #require(process.output.contains("listening on"), "\(process.output)")
            return Receiver(process: process, record: record)
        }

        /// Every request it answered, in arrival order.
        func deliveries() throws -> [[String: Any]] {
            guard let text = try? String(contentsOf: record, encoding: .utf8) else { return [] }
            return try text.split(separator: "\n").map {
                try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
        }

        /// The deliveries it processed: verified, answered 2xx, not a repeat of an accepted `webhook-id`.
        func accepted() throws -> [[String: Any]] {
            try deliveries().filter {
                $0["verified"] as? Bool == true && ($0["status"] as? Int ?? 0) < 300 && $0["duplicate"] as? Bool == false
            }
        }

        /// Waits until `count` deliveries were accepted (60 s at most).
        func waitForAccepted(_ count: Int) async throws -> [[String: Any]] {
            for _ in 0..<600 {
                let accepted = try accepted()
                if accepted.count >= count { return accepted }
                try await Task.sleep(for: .milliseconds(100))
            }
            let got = try deliveries()
            Issue.record("the receiver accepted \(try accepted().count) of \(count): \(got)")
            throw CancellationError()
        }
    }

    /// Registers a webhook endpoint of `project` at `http://127.0.0.1:port/hook`.
    static func addWebhook(_ daemon: RegistryProcessTests.Daemon, project: String, port: Int, templates: [String]) async throws
        -> CreatedWebhookEndpoint
    {
        let body = try JSONEncoder().encode(WebhookEndpointRequest(url: "http://127.0.0.1:\(port)/hook", templates: templates))
        let (status, _, data) = try await daemon.call(.POST, "/v1/projects/\(project)/webhooks", body: body,
                                                       headers: [("Content-Type", "application/json")])
        try #require(status == 201 || status == 200, "\(status) \(String(decoding: data, as: UTF8.self))")
        return try JSONDecoder().decode(CreatedWebhookEndpoint.self, from: data)
    }

    /// The `type` and `data.event_id` of a recorded delivery.
    static func event(of delivery: [String: Any]) -> (type: String?, eventId: String?) {
        let payload = delivery["payload"] as? [String: Any]
        return (payload?["type"] as? String, (payload?["data"] as? [String: Any])?["event_id"] as? String)
    }

    /// Pending `notification` intents in a stopped server's SQLite database: event id → template.
    static func pendingNotifications(_ directory: TemporaryDirectory) async throws -> [String: String] {
        let store = try await SQLStore.open(.sqlite(path: directory.appending("data/platform.db").path), logger: quietLogger)
        do {
            let rows = try await store.read { db in
                try await db.raw("""
                    SELECT event_id, payload FROM outbox_intents WHERE topic = \(bind: NotificationEvent.topic) AND state = 'pending'
                    """).all()
            }
            await store.shutdown()
            return try rows.reduce(into: [:]) { result, row in
                let event = try JSONDecoder().decode(NotificationEvent.self, from: Data(try row.decode(column: "payload", as: String.self).utf8))
                result[try row.decode(column: "event_id", as: String.self)] = event.template
            }
        } catch {
            await store.shutdown()
            throw error
        }
    }

    @Test("kill -9 after a promotion and a launch commit but before dispatch: after the restart the receiver accepts each event exactly once")
    func killBetweenCommitAndDispatch() async throws {
        try await withTemporaryDirectory { directory async throws in
            // The dispatcher polls once at start and then not for an hour: what commits now stays undispatched.
            var daemon = try await InstanceProcessTests.startDaemon(directory, cluster: nil, round: 0,
                                                                    extra: ["--outbox-poll-interval", "3600000"])
            var receiver: Receiver?
            do {
                try await daemon.makeProject()
                let project = String(daemon.repository.split(separator: "/")[0]).uppercased()
                let port = freeLocalPort()
                let endpoint = try await Self.addWebhook(daemon, project: project, port: port,
                                                         templates: ["artifact.promoted", "instance.ready"])
                let started = try await Receiver.start(directory, port: port, secret: endpoint.secret)
                receiver = started
                let session = InstanceProcessTests.Session(daemon: daemon, project: project, directory: directory, cluster: nil)

                // Two state changes, each committing its notification intent: a promotion and a launch becoming ready.
                try await session.publishReferenceApp(["--to", "staging"])
                let (launched, launchOutput) = try await session.appctl(
                    ["launch", "gpu-echo", "--project", project, "--adapter", "local", "--environment", "staging", "--wait", "-o", "json"],
                    log: "launch.log")
                try #require(launched == 0, "\(launchOutput)")
                try await Task.sleep(for: .seconds(1))
                let early = try started.deliveries()
                #expect(early.isEmpty, "nothing is dispatched before the crash")

                daemon.process.signal(SIGKILL)
                _ = await daemon.process.wait(timeout: .seconds(10))
                // The running instance is also metered and rated, so usage.rated notices may be
                // pending too; the webhook subscribes to the two templates this test follows.
                let pending = try await Self.pendingNotifications(directory).filter { $0.value != "usage.rated" }
                #expect(Set(pending.values) == ["artifact.promoted", "instance.ready"], "\(pending)")

                daemon = try await InstanceProcessTests.startDaemon(directory, cluster: nil, round: 1, extra: ["--outbox-poll-interval", "100"])
                let accepted = try await started.waitForAccepted(2)
                // Anything still in flight arrives within a few polls; give it time to show up as a duplicate.
                try await Task.sleep(for: .seconds(2))
                let all = try started.accepted()
                let everything = try started.deliveries()
                #expect(all.count == 2, "\(everything)")
                #expect(Set(all.compactMap { $0["id"] as? String }).count == 2, "one webhook-id per event")
                #expect(Set(accepted.compactMap { Self.event(of: $0).eventId }) == Set(pending.keys),
                        "the deliveries are the intents the crash left pending")
                #expect(Set(accepted.compactMap { Self.event(of: $0).type }) == ["artifact.promoted", "instance.ready"])
                #expect(everything.allSatisfy { $0["verified"] as? Bool == true })
            } catch {
                daemon.process.signal(SIGKILL)
                receiver?.process.signal(SIGKILL)
                await InstanceProcessTests.killContainers(directory)
                throw error
            }
            daemon.process.signal(SIGKILL)
            receiver?.process.signal(SIGKILL)
            await InstanceProcessTests.killContainers(directory)
        }
    }

    @Test("a receiver down for 3 attempts still gets the event; one always down ends in dead letter and a retry delivers it")
    func retriesDeadLetterAndRetry() async throws {
        try await withTemporaryDirectory { directory async throws in
            let daemon = try await InstanceProcessTests.startDaemon(
                directory, cluster: nil, round: 0,
                extra: ["--outbox-poll-interval", "100", "--outbox-retry-base", "200", "--outbox-max-attempts", "5"])
            var receivers: [Receiver] = []
            do {
                var daemon = daemon
                try await daemon.makeProject()
                let project = String(daemon.repository.split(separator: "/")[0]).uppercased()
                let flakyPort = freeLocalPort()
                let downPort = freeLocalPort()
                let flaky = try await Self.addWebhook(daemon, project: project, port: flakyPort, templates: ["artifact.promoted"])
                let down = try await Self.addWebhook(daemon, project: project, port: downPort, templates: ["artifact.promoted"])
                let receiver = try await Receiver.start(directory, port: flakyPort, secret: flaky.secret, failFirst: 3)
                receivers.append(receiver)

                let session = InstanceProcessTests.Session(daemon: daemon, project: project, directory: directory, cluster: nil)
                try await session.publishReferenceApp(["--to", "staging"])

                // Down for 3 attempts (answered 503), delivered by the 4th, under one webhook-id.
                let accepted = try await receiver.waitForAccepted(1)
                let id = try #require(accepted.first?["id"] as? String)
                let tries = try receiver.deliveries().filter { $0["id"] as? String == id }
                #expect(tries.map { $0["status"] as? Int } == [503, 503, 503, 204], "\(tries)")
                #expect(Self.event(of: accepted[0]).type == "artifact.promoted")

                // Nothing listens on the other endpoint: 5 attempts, then dead letter.
                var dead: DeadLetterIntent?
                for _ in 0..<300 where dead == nil {
                    let (status, _, data) = try await daemon.call(.GET, "/v1/notifications/dead-letters")
                    try #require(status == 200, "\(String(decoding: data, as: UTF8.self))")
                    dead = try JSONDecoder().decode([DeadLetterIntent].self, from: data).first { $0.topic == "notification.webhook" }
                    if dead == nil { try await Task.sleep(for: .milliseconds(100)) }
                }
                let letter = try #require(dead, "the always-down endpoint's intent was not dead-lettered")
                #expect(letter.attempts == 5)

                // The receiver comes back; a retry from dead letter delivers the same event.
                let revived = try await Receiver.start(directory, port: downPort, secret: down.secret)
                receivers.append(revived)
                let (retried, _, retryBody) = try await daemon.call(.POST, "/v1/notifications/dead-letters/\(letter.eventId)/retry")
                #expect((200..<300).contains(retried), "\(String(decoding: retryBody, as: UTF8.self))")
                let delivered = try await revived.waitForAccepted(1)
                #expect(Self.event(of: delivered[0]).eventId == Self.event(of: accepted[0]).eventId, "the same event reached both endpoints")
                let (_, _, after) = try await daemon.call(.GET, "/v1/notifications/dead-letters")
                #expect(try JSONDecoder().decode([DeadLetterIntent].self, from: after).isEmpty)
            } catch {
                daemon.process.signal(SIGKILL)
                for receiver in receivers { receiver.process.signal(SIGKILL) }
                throw error
            }
            daemon.process.signal(SIGKILL)
            for receiver in receivers { receiver.process.signal(SIGKILL) }
        }
    }
}
