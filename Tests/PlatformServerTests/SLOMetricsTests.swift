import EvidenceService
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import OCIKit
import Logging
import PlatformContracts
import PlatformServer
import PlatformStore
import PlatformTestKit
import SQLKit
import Testing

/// The SLO evidence of the degradation table: each row's metric moves when its path runs.
@Suite("SLO evidence metrics", .tags(.integration))
struct SLOMetricsTests {
    static func metrics(_ fixture: IAMFixture) async throws -> String {
        try await fixture.client.execute(uri: "/metrics", method: .get) { String(decoding: $0.body.readableBytesView, as: UTF8.self) }
    }

    /// The value of the series whose line starts with `series` (name and labels), or `nil`.
    static func value(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test("a refused audit write counts platform_audit_write_failures_total, which reads 0 before")
    func auditWriteFailuresAreCounted() async throws {
        try await withIAMServer(.sqlite) { fixture in
            #expect(Self.value(try await Self.metrics(fixture), "platform_audit_write_failures_total") == 0)
            try await fixture.server.store.transaction { db in
                try await db.raw("ALTER TABLE audit_log RENAME TO audit_log_unwritable").run()
            }
            let reply = try await fixture.call(.post, "/v1/tenants", key: fixture.adminKey, body: ["name": "ghost"])
            #expect(reply.errorCode == "audit.unavailable")
            try await fixture.server.store.transaction { db in
                try await db.raw("ALTER TABLE audit_log_unwritable RENAME TO audit_log").run()
            }
            #expect(Self.value(try await Self.metrics(fixture), "platform_audit_write_failures_total") ?? 0 >= 1)
        }
    }

    @Test("authorizations and registry manifest and blob lookups are timed into their histograms")
    func authorizationAndRegistryLookupsAreTimed() async throws {
        try await withRegistry(.sqlite) { registry in
            let (manifest, _) = try await registry.pushImage(tag: "v1")
            #expect(try await registry.call(.get, "manifests/v1").status == .ok)
            #expect(try await registry.call(.get, "manifests/\(manifest.digest)").status == .ok)
            let document = try JSONDecoder().decode(ManifestBody.self, from: try await registry.call(.get, "manifests/v1").body)
            #expect(try await registry.call(.get, "blobs/\(document.config.digest)").status == .ok)
            let text = try await Self.metrics(registry.iam)
            #expect(Self.value(text, #"platform_registry_lookup_duration_seconds_count{kind="manifest"}"#) ?? 0 >= 3)
            #expect(Self.value(text, #"platform_registry_lookup_duration_seconds_count{kind="blob"}"#) ?? 0 >= 1)
            #expect(Self.value(text, "platform_authz_duration_seconds_count") ?? 0 >= 1)
            #expect(text.contains(#"platform_authz_duration_seconds_bucket{le="0.001"}"#), "sub-millisecond buckets")
        }
    }

    struct ManifestBody: Decodable {
        struct Entry: Decodable { var digest: String }
        var config: Entry
    }

    @Test("the release evidence age is the age of the oldest input of each environment's newest decision", arguments: ServerBackend.enabled)
    func releaseEvidenceAgeFollowsTheNewestDecision(backend: ServerBackend) async throws {
        let url = try await backend.databaseURL()
        let logger = Logger(label: "slo-test") { _ in SwiftLogNoOpLogHandler() }
        try await withTemporaryDirectory { directory async throws in
            let location = try url.map { try DatabaseLocation(url: $0) } ?? .sqlite(path: directory.appending("platform.db").path)
            let store = try await SQLStore.open(location, logger: logger)
            do {
                try await sampleAges(store, logger: logger)
                await store.shutdown()
            } catch {
                await store.shutdown()
                throw error
            }
        }
    }

    func sampleAges(_ store: SQLStore, logger: Logger) async throws {
        do {
            _ = try await Migrator(store: store, sets: [EvidenceSchema.migrations], logger: logger).migrate()
            let now = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)
            func at(_ secondsAgo: UInt64) -> String { Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch - secondsAgo * 1000).rfc3339 }
            try await store.transaction { db in
                // An old staging decision over a bundle whose oldest input is 900 s old, and a newer one (600 s).
                for (release, decided, inputs) in [("r-old", at(800), [at(900)]), ("r-new", at(100), [at(600), at(200), at(50)])] {
                    try await db.insert(into: "release_decisions")
                        .columns("id", "release_id", "project_id", "environment", "result", "document", "envelope", "policy_snapshot",
                                 "decided_by", "decided_at")
                        .values(SQLBind("d-\(release)"), SQLBind(release), SQLBind("p"), SQLBind("staging"), SQLBind("passed"),
                                SQLBind("{}"), SQLBind("{}"), SQLBind("s"), SQLBind("u"), SQLBind(decided)).run()
                    for (index, attached) in inputs.enumerated() {
                        try await db.insert(into: "release_evidence")
                            .columns("id", "release_id", "type", "predicate_type", "envelope", "key_id", "signer", "attached_by",
                                     "attached_at", "platform_made", "facts")
                            .values(SQLBind("e-\(release)-\(index)"), SQLBind(release), SQLBind("uat-result"), SQLBind("t"), SQLBind("{}"),
                                    SQLBind("k"), SQLBind("s"), SQLBind("u"), SQLBind(attached), SQLBind(0), SQLBind("{}")).run()
                    }
                }
            }
            let ages = try await ReleaseEvidenceAge.sample(store, now: now)
            // The newest decision (r-new) evaluated inputs 600 s and 200 s old; the one attached after it does not count.
            #expect(ages == ["staging": .seconds(600)])
        }
    }
}
