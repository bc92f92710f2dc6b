import AppCtlKit
import Foundation
import PlatformContracts
import PlatformStore
import PlatformTestKit
import Testing

/// `appctl notifications …` and `appctl webhooks …` against a live platformd; feed items are
/// written to the server's outbox the way a module writes them, and its dispatcher fans them out.
@Suite("appctl notifications and webhooks", .tags(.integration))
struct NotificationCommandTests {
    /// Writes an `instance.failed` event for `recipient` to the outbox of the server in `directory`.
    static func notify(_ directory: TemporaryDirectory, project: Project, recipient: String, app: String) async throws -> String {
        let store = try await SQLStore.open(.sqlite(path: directory.appending("server/platform.db").path), logger: quietLogger)
        let event = NotificationEvent(template: "instance.failed", project: project.id, tenant: project.tenantId, recipients: [recipient],
                                      variables: ["app": app, "instance": "01J0000000000000000000INST", "reason": "exit 1"],
                                      occurredAt: Timestamp.now())
        let id = try await store.transaction { db in try await OutboxWriter().notify(event, in: db) }
        await store.shutdown()
        return try #require(id).description
    }

    @Test("webhooks add prints the secret once, list and remove; preferences refuse a locked template; dead letters")
    func webhooksPreferencesAndDeadLetters() async throws {
        try await withTemporaryDirectory { directory async throws in
            let appctl = CommandHarness(directory: directory)
            try await withServer(directory) { url async throws in
                #expect(await appctl.run("context", "add", "local", "--server", url).exitCode == 0)
                #expect(await appctl.run("login", "--key-file", directory.appending("server/bootstrap-admin.key").path).exitCode == 0)
                #expect(await appctl.run("tenant", "create", "acme").exitCode == 0)
                #expect(await appctl.run("project", "create", "ml", "--tenant", "acme").exitCode == 0)

                let added = await appctl.run("webhooks", "add", "https://hooks.example.test/x", "--template", "instance.failed", "--project", "acme/ml")
                #expect(added.exitCode == 0, "\(added.errorOutput)")
                let secret = try #require(added.output.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
                #expect(secret.hasPrefix("whsec_") && added.output.contains("shown only now"))
                let listed = await appctl.run("webhooks", "list", "--project", "acme/ml", "-o", "json")
                let endpoints = try JSONDecoder().decode([WebhookEndpoint].self, from: Data(listed.output.utf8))
                #expect(endpoints.map(\.url) == ["https://hooks.example.test/x"] && endpoints.first?.templates == ["instance.failed"])
                let table = await appctl.run("webhooks", "list", "--project", "acme/ml")
                #expect(!listed.output.contains(secret) && !table.output.contains("whsec_") && table.output.contains("instance.failed"))
                let id = try #require(endpoints.first?.id)
                #expect(await appctl.run("webhooks", "remove", id, "--project", "acme/ml").exitCode == 0)
                let gone = await appctl.run("webhooks", "remove", id, "--project", "acme/ml")
                #expect(gone.exitCode == 66 && gone.errorOutput.contains("notification.not_found"))

                let locked = await appctl.run("notifications", "preferences", "set", "--mute", "key.expiring", "--project", "acme/ml")
                #expect(locked.exitCode == 65 && locked.errorOutput.contains("notification.preference_locked"), "\(locked.errorOutput)")
                let set = await appctl.run("notifications", "preferences", "set", "--mute", "instance.ready", "--email", "ops@example.test",
                                           "--project", "acme/ml")
                #expect(set.exitCode == 0, "\(set.errorOutput)")
                // Changing only the email keeps the muted list.
                #expect(await appctl.run("notifications", "preferences", "set", "--email", "dev@example.test", "--project", "acme/ml").exitCode == 0)
                let shown = await appctl.run("notifications", "preferences", "show", "--project", "acme/ml")
                #expect(shown.output.contains("instance.ready") && shown.output.contains("dev@example.test"), "\(shown.output)")
                #expect(await appctl.run("notifications", "preferences", "set", "--project", "acme/ml").exitCode == 64)

                let dead = await appctl.run("notifications", "dead-letters", "list")
                #expect(dead.exitCode == 0 && dead.output.contains("EVENT") && dead.output.contains("LAST ERROR"))
                let retry = await appctl.run("notifications", "dead-letters", "retry", ULID().description)
                #expect(retry.exitCode == 66 && retry.errorOutput.contains("notification.not_found"))
            }
        }
    }

    @Test("notifications list shows the caller's feed; watch prints an item written after it started, and resumes after --after")
    func listAndWatchTheFeed() async throws {
        try await withTemporaryDirectory { directory async throws in
            let appctl = CommandHarness(directory: directory)
            try await withServer(directory) { url async throws in
                #expect(await appctl.run("context", "add", "local", "--server", url).exitCode == 0)
                #expect(await appctl.run("login", "--key-file", directory.appending("server/bootstrap-admin.key").path).exitCode == 0)
                #expect(await appctl.run("tenant", "create", "acme").exitCode == 0)
                let project = try JSONDecoder().decode(
                    Project.self, from: Data(await appctl.run("project", "create", "ml", "--tenant", "acme", "-o", "json").output.utf8))
                let me = try JSONDecoder().decode(Caller.self, from: Data(await appctl.run("whoami", "-o", "json").output.utf8))

                let first = try await Self.notify(directory, project: project, recipient: me.principalId, app: "trainer")
                var listed = await appctl.run("notifications", "list")
                for _ in 0..<100 where !listed.output.contains("trainer") {
                    try await Task.sleep(for: .milliseconds(100))
                    listed = await appctl.run("notifications", "list")
                }
                #expect(listed.output.hasPrefix("TIME") && listed.output.contains("SEVERITY  TEMPLATE"), "\(listed.output)")
                #expect(listed.output.contains("critical") && listed.output.contains("Your app trainer failed: exit 1"))
                #expect(await appctl.run("notifications", "list", "--project", "acme/ml", "--after", first).output
                    .split(separator: "\n").count == 1)
                #expect(await appctl.run("notifications", "list", "--after", "nope").exitCode == 64)

                // watch from the present: an item written while it runs is printed, then --count ends it.
                let watching = Task { await appctl.run("notifications", "watch", "--count", "1", "-o", "json") }
                // Cancelling watch is its Ctrl-C: a missing item fails the test instead of hanging it.
                let watchdog = Task { try await Task.sleep(for: .seconds(60)); watching.cancel() }
                // (A second item a while later, in case the first landed before watch found the present.)
                var written: [String] = []
                for _ in 0..<2 {
                    try await Task.sleep(for: .seconds(1.5))
                    written.append(try await Self.notify(directory, project: project, recipient: me.principalId, app: "web"))
                }
                let watched = await watching.value
                watchdog.cancel()
                #expect(watched.exitCode == 0, "\(watched.errorOutput)")
                let item = try JSONDecoder().decode(NotificationFeedItem.self, from: Data(watched.output.utf8))
                #expect(written.contains(item.eventId) && item.subject == "Your app web failed: exit 1")

                // --after replays what came after that id, over the stream.
                let replaying = Task { await appctl.run("notifications", "watch", "--after", first, "--count", "1") }
                let replayWatchdog = Task { try await Task.sleep(for: .seconds(60)); replaying.cancel() }
                let replayed = await replaying.value
                replayWatchdog.cancel()
                #expect(replayed.exitCode == 0 && replayed.output.contains("Your app web failed") && !replayed.output.contains("trainer"),
                        "\(replayed.output)\(replayed.errorOutput)")
            }
        }
    }
}
