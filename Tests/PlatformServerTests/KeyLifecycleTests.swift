import AuditService
import Foundation
import HTTPTypes
import IAMService
import PlatformContracts
import PlatformServer
import PlatformTestKit
import PlatformStore
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@Suite("API keys")
struct KeyLifecycleTests {
    @Test("expired, revoked, malformed and checksum-broken keys get 401; Basic auth works", arguments: ServerBackend.enabled)
    func badKeys(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let (_, _, _, key) = try await fixture.makeProject(tenant: "acme", project: "p1", account: "ci", role: "developer")
            #expect(try await fixture.call(.get, "/v1/whoami", key: key.key).status == .ok)

            var basic = HTTPFields()
            basic[.authorization] = "Basic " + Data("anything:\(key.key)".utf8).base64EncodedString()
            #expect(try await fixture.call(.get, "/v1/whoami", key: nil, headers: basic).status == .ok)

            let missing = try await fixture.call(.get, "/v1/whoami", key: nil)
            #expect(missing.status == .unauthorized && missing.errorCode == "iam.unauthenticated")

            let malformed = try await fixture.call(.get, "/v1/whoami", key: "not-a-key")
            #expect(malformed.status == .unauthorized && malformed.errorCode == "iam.key_malformed")

            var broken = key.key
            let last = broken.removeLast()
            broken.append(last == "A" ? "B" : "A")
            let checksum = try await fixture.call(.get, "/v1/whoami", key: broken)
            #expect(checksum.status == .unauthorized && checksum.errorCode == "iam.key_malformed")

            // A well-formed key with a valid checksum that was never issued.
            let forged = APIKeyToken.generate().text
            #expect(try await fixture.call(.get, "/v1/whoami", key: forged).errorCode == "iam.key_invalid")

            try await fixture.server.store.transaction { db in
                try await db.update("iam_api_keys").set("expires_at", to: SQLBind("2020-01-01T00:00:00.000Z"))
                    .where("id", .equal, key.info.id).run()
            }
            // A write straight to the table bypasses IAM's invalidation (as a DBA's would); the
            // read model's budget bounds it. Dropping the cache stands for the budget passing.
            fixture.server.identity.authorizer.readModel?.invalidateAll()
            let expired = try await fixture.call(.get, "/v1/whoami", key: key.key)
            #expect(expired.status == .unauthorized && expired.errorCode == "iam.key_invalid")

            let (_, _, _, second) = try await fixture.makeProject(tenant: "acme", project: "p2", account: "ci2", role: "developer")
            _ = try await fixture.ok(.post, "/v1/keys/\(second.info.id)/revoke", key: fixture.adminKey, body: [:], as: APIKeyInfo.self)
            let revoked = try await fixture.call(.get, "/v1/whoami", key: second.key)
            #expect(revoked.status == .unauthorized && revoked.errorCode == "iam.key_invalid")

            // Denials are audited and counted.
            let records = try await fixture.ok(.get, "/v1/audit/records?action=iam.access.denied&limit=1000", key: fixture.adminKey, as: [AuditRecord].self)
            #expect(records.count >= 5)
            let metrics = try await fixture.client.execute(uri: "/metrics", method: .get) { String(decoding: $0.body.readableBytesView, as: UTF8.self) }
            #expect(metrics.contains(#"authz_decisions_total{decision="unauthenticated",scope="-"}"#))
            #expect(metrics.contains(#"authz_decisions_total{decision="allow",scope="iam:key:create"}"#))
        }
    }

    @Test("a rotated key works only within its overlap; the replacement works", arguments: ServerBackend.enabled)
    func rotationOverlap(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let (_, _, _, old) = try await fixture.makeProject(tenant: "acme", project: "p1", account: "ci", role: "developer")
            let replacement = try await fixture.ok(
                .post, "/v1/keys/\(old.info.id)/rotate", key: fixture.adminKey, body: ["overlapSeconds": 5], as: IssuedKey.self)
            #expect(replacement.info.scopes == old.info.scopes)
            #expect(try await fixture.call(.get, "/v1/whoami", key: old.key).status == .ok)
            #expect(try await fixture.call(.get, "/v1/whoami", key: replacement.key).status == .ok)
            // A 5 s overlap: the two calls above must land inside it even on a loaded CI machine.
            try await Task.sleep(for: .milliseconds(5300))
            #expect(try await fixture.call(.get, "/v1/whoami", key: old.key).status == .unauthorized)
            #expect(try await fixture.call(.get, "/v1/whoami", key: replacement.key).status == .ok)
            let again = try await fixture.call(.post, "/v1/keys/\(old.info.id)/rotate", key: fixture.adminKey, body: ["overlapSeconds": 1])
            #expect(again.status == .badRequest)
            let tooLong = try await fixture.call(.post, "/v1/keys/\(replacement.info.id)/rotate", key: fixture.adminKey, body: ["overlapSeconds": 30 * 86_400])
            #expect(tooLong.errorCode == "iam.expiry_invalid")
        }
    }

    @Test("keys cannot carry unknown scopes, scopes the account lacks, or lifetimes beyond the maximum", arguments: ServerBackend.enabled)
    func keyCreationRules(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let (_, _, account, developerKey) = try await fixture.makeProject(tenant: "acme", project: "p1", account: "dev", role: "developer")
            func create(_ scopes: [String], _ lifetime: Int) async throws -> IAMFixture.Reply {
                try await fixture.call(.post, "/v1/keys", key: fixture.adminKey,
                                       body: ["serviceAccount": account.id, "scopes": scopes, "expiresInSeconds": lifetime])
            }
            #expect(try await create(["apps:*:*"], 3600).errorCode == "iam.scope_unknown")
            #expect(try await create(["made:up:scope"], 3600).errorCode == "iam.scope_unknown")
            #expect(try await create(["iam:tenant:create"], 3600).errorCode == "iam.scope_not_held")
            #expect(try await create(["apps:instance:launch"], 91 * 86_400).errorCode == "iam.expiry_invalid")
            #expect(try await create(["apps:instance:launch"], 0).errorCode == "iam.expiry_invalid")
            #expect(try await create(["apps:instance:launch"], 3600).status == .created)
            // A developer cannot mint keys at all, nor grant roles above its own scopes.
            let escalate = try await fixture.call(.post, "/v1/keys", key: developerKey.key,
                                                  body: ["serviceAccount": account.id, "scopes": ["apps:instance:launch"], "expiresInSeconds": 3600])
            #expect(escalate.status == .forbidden)
        }
    }

    @Test("the bootstrap admin key is written once, mode 0600, and never again")
    func bootstrapOnce() async throws {
        try await withTemporaryDirectory { directory async throws in
            let first = try await withLiveServer(directory) { _, server async throws in
                let attributes = try FileManager.default.attributesOfItem(atPath: server.bootstrapKeyFile.path)
                #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
                return try String(contentsOf: server.bootstrapKeyFile, encoding: .utf8)
            }
            #expect(first.hasPrefix(APIKeyToken.prefix))
            try FileManager.default.removeItem(at: directory.appending("bootstrap-admin.key"))
            try await withLiveServer(directory) { client, server async throws in
                #expect(!FileManager.default.fileExists(atPath: server.bootstrapKeyFile.path))
                let reply = try await client.execute(uri: "/v1/whoami", method: .get,
                                                     headers: [.authorization: "Bearer \(first.trimmingCharacters(in: .whitespacesAndNewlines))"]) { $0.status }
                #expect(reply == .ok)
            }
        }
    }
}
