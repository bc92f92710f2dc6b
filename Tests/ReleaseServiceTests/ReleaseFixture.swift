import Foundation
import Logging
import OCIKit
import PlatformContracts
import PlatformStore
import PlatformTestKit
import SQLKit
import Synchronization
import Testing
@testable import EvidenceService

/// The backends every release test runs against.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// SQLite always; PostgreSQL unless `PLATFORM_TEST_POSTGRES=skip`.
    static var enabled: [Backend] { PostgresServer.isEnabled ? [.sqlite, .postgres] : [.sqlite] }

    func makeLocation(in directory: TemporaryDirectory) async throws -> DatabaseLocation {
        switch self {
        case .sqlite: .sqlite(path: directory.appending("platform.db").path)
        case .postgres: try DatabaseLocation(url: try await PostgresServer.shared.makeDatabase())
        }
    }
}

let quietLogger = Logger(label: "release-test") { _ in SwiftLogNoOpLogHandler() }
let shop = Project(id: "01JPROJECT0000000000000000", tenantId: "01JTENANT00000000000000000", name: "shop", createdAt: "2026-01-01T00:00:00.000Z")
let project = shop

/// A caller with `release:*` scopes (and `release:approve:security` when asked).
func caller(_ name: String, security: Bool = false) -> Caller {
    var scopes = ["release:read", "release:write", "release:approve"]
    if security { scopes.append("release:approve:security") }
    return Caller(principalId: "principal-\(name)", principalName: name, principalKind: "user", keyId: "key-\(name)", tenantId: project.tenantId,
                  projectId: project.id, scopes: scopes, expiresAt: "2099-01-01T00:00:00.000Z")
}

/// The release policies at `policies.yaml`'s defaults (open decision 2 included).
func releasePolicy(overrides: [String: PolicyValue] = [:]) -> FixedPolicyEvaluator {
    func list(_ values: [String]) -> PolicyValue { .list(values) }
    var defaults: [String: PolicyValue] = [
        "release.required_fields": list(["release_id", "environment_target", "artifact_digests", "source_sha", "branch", "pipeline_links",
                                         "uat_result", "security_scan", "contract_drift", "migration_status"]),
        "release.production_required_fields": list(["capacity_posture", "approvals", "residual_risk", "rollback_plan", "deploy_smoke"]),
        "release.blocking_severities": list(["critical", "high"]),
        "release.security_owner_risk_classes": list(["high", "critical"]),
        "release.capacity_reserve_percent": .integer(10),
        "release.smoke_max_seconds": .integer(600),
    ]
    defaults.merge(overrides) { $1 }
    var definitions: [String: PolicyDefinition] = [:]
    for (key, value) in defaults {
        let type: PolicyType = if case .integer = value { .integer } else { .list }
        definitions[key] = PolicyDefinition(policyKey: key, scope: .platform, type: type, default: value, description: key)
    }
    return FixedPolicyEvaluator(PolicySnapshot(id: "01JSNAPSHOT000000000000000", version: 1, createdAt: .now(), definitions: definitions,
                                               plans: [:], defaultPlan: "plan.standard"))
}

/// The project's artifact-signing keys, revocable by the test.
final class TestKeys: SigningKeyDirectory {
    let stored = Mutex<[TrustedKey]>([])

    /// Registers `key` as created by `owner`.
    func add(_ key: SigningPrivateKey, name: String, owner: String) {
        let trusted = TrustedKey(id: key.publicKey.keyID, projectId: project.id, name: name, purpose: .artifactSigning, publicKeyPEM: key.publicKey.pem,
                                 status: .active, createdAt: Timestamp.now().rfc3339, createdBy: owner)
        stored.withLock { $0.append(trusted) }
    }

    func revoke(_ key: SigningPrivateKey) {
        stored.withLock { keys in
            for index in keys.indices where keys[index].id == key.publicKey.keyID {
                keys[index].status = .revoked
                keys[index].revokedAt = Timestamp.now().rfc3339
            }
        }
    }

    func keys(project: String, purpose: KeyPurpose) async throws -> [TrustedKey] { stored.withLock { $0 } }
    func keys(in project: Project) async throws -> [TrustedKey] { stored.withLock { $0 } }
    func register(in project: Project, _ request: SigningKeyRequest, by caller: Caller, requestID: String?) async throws -> TrustedKey {
        throw PlatformError(.internalError, "not in the test")
    }
    func rotate(in project: Project, id: String, to request: SigningKeyRequest, by caller: Caller, requestID: String?) async throws -> TrustedKey {
        throw PlatformError(.internalError, "not in the test")
    }
    func revoke(in project: Project, id: String, by caller: Caller, requestID: String?) async throws -> TrustedKey {
        throw PlatformError(.internalError, "not in the test")
    }
}

/// Grants exactly the caller's key scopes.
struct ScopeAuthorizer: Authorizer {
    func authenticate(keyText: String) async throws -> Caller { throw PlatformError(.iamKeyInvalid, "not in the test") }
    func authorize(_ caller: Caller) async throws -> Grants {
        let registered: Set<String> = ["release:read", "release:write", "release:approve", "release:approve:security", "release:promote"]
        return Grants(keyScopes: Set(caller.scopes), heldScopes: Set(caller.scopes), registeredScopes: registered)
    }
    func project(_ id: String, visibleTo caller: Caller) async throws -> Project { shop }
}

/// Artifact trust states the test sets.
final class TestTrust: ArtifactTrustLookup {
    let states = Mutex<[String: TrustState]>([:])
    func set(_ digest: String, _ state: TrustState) { states.withLock { $0[digest] = state } }
    func effectiveTrust(project: Project, digest: String) async throws -> TrustState {
        guard let state = states.withLock({ $0[digest] }) else {
            throw PlatformError(.artifactNotFound, "no artifact \(digest) in project \(project.name)")
        }
        return state
    }
}

/// Writes each audit record into `release_test_audit` on the caller's transaction.
struct TableAudit: TransactionalAuditing {
    static let migrations = MigrationSet(module: "release-test-audit", migrations: [
        Migration(version: 1, name: "create release_test_audit", statements: [
            "CREATE TABLE release_test_audit (seq BIGINT PRIMARY KEY, action TEXT NOT NULL, outcome TEXT NOT NULL, details TEXT NOT NULL)",
        ]),
    ])

    func append(_ event: AuditEvent, tenant: String?, in db: any SQLDatabase) async throws -> AuditRecord {
        let next = try await db.raw("SELECT COUNT(*) AS n FROM release_test_audit").first()?.decode(column: "n", as: Int64.self) ?? 0
        let details = String(decoding: try JSONEncoder().encode(event.details), as: UTF8.self)
        try await db.insert(into: "release_test_audit").columns("seq", "action", "outcome", "details")
            .values(SQLBind(next + 1), SQLBind(event.action), SQLBind(event.outcome.rawValue), SQLBind(details)).run()
        return AuditRecord(sequence: next + 1, id: ULID().description, time: Timestamp.now().rfc3339, tenant: tenant, project: event.project,
                           actor: event.actor.rawValue, action: event.action, target: event.target, outcome: event.outcome,
                           requestId: event.requestID, details: event.details)
    }
}

/// One service over a fresh store, with its fakes.
struct ReleaseWorld {
    let service: ReleaseService
    let store: SQLStore
    let keys: TestKeys
    let trust: TestTrust
    let platformKey: SigningPrivateKey
    /// The developer's signing key, registered by `developer`.
    let developerKey = SigningPrivateKey()
    let artifacts = ["sha256:" + String(repeating: "a", count: 64), "sha256:" + String(repeating: "b", count: 64)]

    /// Audit actions and outcomes, in order.
    func audit() async throws -> [(action: String, outcome: String, details: [String: String])] {
        try await store.read { db in
            try await db.raw("SELECT action, outcome, details FROM release_test_audit ORDER BY seq").all().map { row in
                (try row.decode(column: "action", as: String.self), try row.decode(column: "outcome", as: String.self),
                 try JSONDecoder().decode([String: String].self, from: Data(try row.decode(column: "details", as: String.self).utf8)))
            }
        }
    }

    func create(_ environment: String = "production", by who: Caller = caller("developer")) async throws -> Release {
        try await service.create(ReleaseRequest(environment: environment, artifacts: artifacts.reversed(), sourceSha: String(repeating: "c", count: 40),
                                                branch: "main"), in: project, by: who, requestID: "req-create")
    }

    /// A DSSE envelope (JSON text) over a statement of `type` about `subjects`, signed with `key`.
    func envelope(_ type: String, _ predicate: [String: Any], subjects: [String]? = nil, key: SigningPrivateKey? = nil) throws -> String {
        let predicateType = TestValidator.predicateType(type)
        let bytes = try ReleaseStatements.signed(artifacts: subjects ?? artifacts, predicateType: predicateType,
                                                 predicate: try ReleaseStatements.json(predicate), with: key ?? developerKey)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Attaches a hand-made statement signed with the developer's key.
    @discardableResult
    func attach(_ release: Release, _ type: String, _ predicate: [String: Any], by who: Caller = caller("developer")) async throws -> ReleaseEvidence {
        try await service.attach(ReleaseEvidenceRequest(type: type, envelope: try envelope(type, predicate)), to: release.id, in: project,
                                 by: who, requestID: "req-attach")
    }

    /// Attaches a platform-made statement as the platform's routes would.
    @discardableResult
    func platform(_ release: Release, _ type: String, _ predicate: [String: Any], by who: Caller = caller("platform-control")) async throws
        -> ReleaseEvidence {
        try await service.attachPlatformEvidence(type: type, predicate: try ReleaseStatements.json(predicate), to: release.id, in: project,
                                                 by: who, correlationId: "corr-\(type)", requestID: "req-\(type)")
    }

    /// Every field a production release needs, passing: hand-made by the developer, platform-made by platform control.
    func attachPassingBundle(_ release: Release, riskClass: String = "low") async throws {
        try await attach(release, "pipeline-links", ["links": [["name": "ci", "url": "https://ci.example/run/1"]]])
        try await attach(release, "uat-result", ["suite": "checkout", "total": 12, "passed": 12, "failed": 0])
        try await attach(release, "security-scan", TestValidator.sarif(levels: ["warning", "note"]))
        try await attach(release, "residual-risk", ["class": riskClass, "statement": "payment retries are new"])
        try await attach(release, "rollback-plan", ["strategy": "rollback", "steps": ["redeploy the previous digest"]])
        try await platform(release, "contract-drift", ["result": "pass", "sourceSha": release.sourceSha, "checkedAt": "2026-01-01T00:00:00Z",
                                                       "artifacts": [], "server": ["openapi": "sha256:1", "asyncapi": "sha256:2", "matches": true]])
        try await platform(release, "migration-status", ["modules": [["module": "evidence", "applied": 1, "expected": 1]], "pending": 0,
                                                         "result": "current"])
        try await platform(release, "capacity-posture", ["totalGpus": 10, "freeGpus": 4, "reservePercent": 10, "requiredFree": 1, "ring": "canary",
                                                         "result": "pass"])
        try await platform(release, "deploy-smoke", ["environment": "staging", "app": "shop", "version": "1.0.0", "instance": "01JINSTANCE",
                                                     "correlationId": "corr-smoke", "timeToReadyMs": 4200, "readyWithinMs": 600_000, "result": "ready"])
        for artifact in artifacts { trust.set(artifact, .promotedStaging) }
    }
}

/// Runs `body` with a release service over a fresh, migrated store of `backend`.
func withReleases(_ backend: Backend, validator: any EvidenceValidating = TestValidator(),
                  policy: FixedPolicyEvaluator = releasePolicy(), _ body: (ReleaseWorld) async throws -> Void) async throws {
    try await withTemporaryDirectory { directory async throws in
        let store = try await SQLStore.open(try await backend.makeLocation(in: directory), logger: quietLogger)
        do {
            try await Migrator(store: store, sets: [EvidenceSchema.migrations, TableAudit.migrations], logger: quietLogger).migrate()
            let keys = TestKeys()
            let trust = TestTrust()
            let platformKey = SigningPrivateKey()
            var service = ReleaseService(store: store, blobs: MemoryBlobStore(), keys: keys, identity: ScopeAuthorizer(), audit: TableAudit(),
                                         validator: validator, policy: policy, platformSigner: platformKey, logger: quietLogger)
            service.artifactTrust = trust
            let world = ReleaseWorld(service: service, store: store, keys: keys, trust: trust, platformKey: platformKey)
            keys.add(world.developerKey, name: "ci-signer", owner: caller("developer").principalId)
            for artifact in world.artifacts { trust.set(artifact, .verified) }
            try await body(world)
            await store.shutdown()
        } catch {
            await store.shutdown()
            throw error
        }
    }
}
