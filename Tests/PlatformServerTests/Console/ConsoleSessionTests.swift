import Foundation
import HTTPTypes
import IAMService
import PlatformContracts
import PlatformServer
import PlatformStore
import RegistryService
import SQLKit
import Testing

/// The console's session store (``IAMWebSessions`` over `iam_web_sessions`) on SQLite and
/// PostgreSQL, against a live server's real IAM tables and keys issued through the API: a
/// session stands for its key, so whatever ends the key ends the session, and any replica
/// over the same database resolves it.
@Suite("Console sessions")
struct ConsoleSessionTests {
    static let hour = Duration.seconds(3600)

    @Test("sign in, resolve on this and a second replica, sign out ends it everywhere", arguments: ServerBackend.enabled)
    func signInResolveSignOut(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let (_, project, account, key) = try await fixture.makeProject(tenant: "acme", project: "web", account: "dev", role: "developer")
            let sessions = Self.sessions(fixture)
            let issued = try await sessions.signIn(keyText: key.key, lifetime: Self.hour)
            #expect(issued.session.caller.keyId == key.info.id)
            #expect(issued.session.caller.principalId == account.id)
            #expect(issued.session.caller.projectId == project.id)
            #expect(issued.cookieValue.hasPrefix(issued.session.id + "."))
            #expect(!issued.cookieValue.contains(key.key), "the cookie is not the key")

            let resolved = try await sessions.resolve(cookieValue: issued.cookieValue)
            #expect(resolved == issued.session)

            // The cookie's secret is stored hashed only.
            let stored = try await fixture.server.store.read { db in
                try await db.select().column("secret_hash").from("iam_web_sessions").where("id", .equal, SQLBind(issued.session.id))
                    .first()?.decode(column: "secret_hash", as: String.self)
            }
            let secret = String(issued.cookieValue.split(separator: ".")[1])
            #expect(stored != nil && stored != secret && stored?.contains(secret) == false)

            // A second replica: its own pool over the same database, its own authorizer.
            try await Self.withReplica(fixture) { replica in
                let seen = try await replica.resolve(cookieValue: issued.cookieValue)
                #expect(seen.id == issued.session.id && seen.caller.keyId == key.info.id && seen.csrfToken == issued.session.csrfToken)

                let ended = try await sessions.signOut(cookieValue: issued.cookieValue)
                #expect(ended?.id == issued.session.id)
                #expect(await Self.failure { _ = try await sessions.resolve(cookieValue: issued.cookieValue) } == .iamUnauthenticated)
                #expect(await Self.failure { _ = try await replica.resolve(cookieValue: issued.cookieValue) } == .iamUnauthenticated)
                #expect(try await replica.signOut(cookieValue: issued.cookieValue) == nil, "signing out twice is not an error")
            }

            // Another session of the same key is untouched by that sign-out.
            let other = try await sessions.signIn(keyText: key.key, lifetime: Self.hour)
            #expect(try await sessions.resolve(cookieValue: other.cookieValue).id == other.session.id)
        }
    }

    @Test("revoking the key ends its sessions at the next request", arguments: ServerBackend.enabled)
    func revokedKeyEndsSession(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let (_, _, _, key) = try await fixture.makeProject(tenant: "acme", project: "web", account: "dev", role: "developer")
            let sessions = Self.sessions(fixture)
            let issued = try await sessions.signIn(keyText: key.key, lifetime: Self.hour)
            _ = try await sessions.resolve(cookieValue: issued.cookieValue)
            _ = try await fixture.ok(.post, "/v1/keys/\(key.info.id)/revoke", key: fixture.adminKey, body: [:], as: APIKeyInfo.self)
            #expect(await Self.failure { _ = try await sessions.resolve(cookieValue: issued.cookieValue) } == .iamKeyInvalid)
            try await Self.withReplica(fixture) { replica in
                #expect(await Self.failure { _ = try await replica.resolve(cookieValue: issued.cookieValue) } == .iamKeyInvalid)
            }
            // And a revoked key opens no new session.
            #expect(await Self.failure { _ = try await sessions.signIn(keyText: key.key, lifetime: Self.hour) } == .iamKeyInvalid)
        }
    }

    @Test("a session never outlives its key: capped at sign-in, ended when the key expires", arguments: ServerBackend.enabled)
    func neverOutlivesKey(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let (_, _, account, _) = try await fixture.makeProject(tenant: "acme", project: "web", account: "dev", role: "developer")
            let short = try await fixture.ok(
                .post, "/v1/keys", key: fixture.adminKey,
                body: ["serviceAccount": account.id, "scopes": ["iam:project:read"], "expiresInSeconds": 600], as: IssuedKey.self)
            let sessions = Self.sessions(fixture)
            let issued = try await sessions.signIn(keyText: short.key, lifetime: .seconds(8 * 3600))
            let keyExpiry = short.info.expiresAt
            #expect(issued.session.expiresAt == keyExpiry, "an 8 h session of a 10 min key ends with the key")
            #expect(try await sessions.resolve(cookieValue: issued.cookieValue).expiresAt == keyExpiry)

            // The key expires (its row says so) while the session row still looks live.
            try await fixture.server.store.transaction { db in
                try await db.update("iam_api_keys").set("expires_at", to: SQLBind("2020-01-01T00:00:00.000Z"))
                    .where("id", .equal, SQLBind(short.info.id)).run()
            }
            #expect(await Self.failure { _ = try await sessions.resolve(cookieValue: issued.cookieValue) } == .iamKeyInvalid)
        }
    }

    @Test("an expired session is unauthenticated; a zero lifetime is expired at once", arguments: ServerBackend.enabled)
    func expiredSession(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let (_, _, _, key) = try await fixture.makeProject(tenant: "acme", project: "web", account: "dev", role: "developer")
            let sessions = Self.sessions(fixture)
            let issued = try await sessions.signIn(keyText: key.key, lifetime: Self.hour)
            _ = try await sessions.resolve(cookieValue: issued.cookieValue)
            try await fixture.server.store.transaction { db in
                try await db.update("iam_web_sessions").set("expires_at", to: SQLBind("2020-01-01T00:00:00.000Z"))
                    .where("id", .equal, SQLBind(issued.session.id)).run()
            }
            let error = await Self.error { _ = try await sessions.resolve(cookieValue: issued.cookieValue) }
            #expect(error?.code == .iamUnauthenticated)
            #expect(error?.message.contains("expired") == true)
            #expect(try await sessions.signOut(cookieValue: issued.cookieValue) == nil, "an expired session has nothing to end")

            let instant = try await sessions.signIn(keyText: key.key, lifetime: .zero)
            #expect(await Self.failure { _ = try await sessions.resolve(cookieValue: instant.cookieValue) } == .iamUnauthenticated)
        }
    }

    @Test("malformed, unknown and tampered cookies are unauthenticated; bad keys open no session", arguments: ServerBackend.enabled)
    func malformedCookies(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let (_, _, _, key) = try await fixture.makeProject(tenant: "acme", project: "web", account: "dev", role: "developer")
            let sessions = Self.sessions(fixture)
            let issued = try await sessions.signIn(keyText: key.key, lifetime: Self.hour)
            let secret = String(issued.cookieValue.split(separator: ".")[1])
            let tampered = issued.session.id + "." + (secret.first == "A" ? "B" : "A") + secret.dropFirst()
            let unknown = ULID().description + "." + secret
            let garbage = ["", "garbage", ".", "\(issued.session.id).", "\(issued.session.id).short", "not-a-ulid.\(secret)",
                           issued.cookieValue + ".extra", issued.session.id + "." + String(repeating: "%", count: 43), key.key]
            for value in garbage + [tampered, unknown] {
                #expect(await Self.failure { _ = try await sessions.resolve(cookieValue: value) } == .iamUnauthenticated, "cookie \(value)")
                #expect(try await sessions.signOut(cookieValue: value) == nil)
            }
            // None of that touched the real session.
            #expect(try await sessions.resolve(cookieValue: issued.cookieValue).id == issued.session.id)

            #expect(await Self.failure { _ = try await sessions.signIn(keyText: "not-a-key", lifetime: Self.hour) } == .iamKeyMalformed)
            #expect(await Self.failure { _ = try await sessions.signIn(keyText: APIKeyToken.generate().text, lifetime: Self.hour) }
                == .iamKeyInvalid)
        }
    }

    // MARK: Helpers

    static func sessions(_ fixture: IAMFixture) -> IAMWebSessions {
        IAMWebSessions(store: fixture.server.store, authorizer: fixture.server.identity.authorizer)
    }

    /// A second `platformd`'s view: a new pool over the same database and an authorizer of its own.
    static func withReplica(_ fixture: IAMFixture, _ body: (IAMWebSessions) async throws -> Void) async throws {
        let store = try await SQLStore.open(fixture.server.store.location, logger: quietLogger)
        do {
            let scopes = try RegistryFiles(directory: checkoutRoot.appendingPathComponent("manifests/platform")).scopes()
            try await body(IAMWebSessions(store: store, authorizer: IAMAuthorizer(store: store, scopes: scopes)))
            await store.shutdown()
        } catch {
            await store.shutdown()
            throw error
        }
    }

    static func error(_ body: () async throws -> Void) async -> PlatformError? {
        do {
            try await body()
            return nil
        } catch let error as PlatformError {
            return error
        } catch {
            return PlatformError(.internalError, "\(error)")
        }
    }

    /// The code `body` fails with (`nil`: it did not fail).
    static func failure(_ body: () async throws -> Void) async -> ErrorCode? {
        await error(body)?.code
    }
}
