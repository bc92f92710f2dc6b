import Foundation
import PlatformContracts
import PlatformStore
import PlatformTestKit
import PolicyService
import SQLKit
import Synchronization

/// A small registry that exercises every rule: each type, each scope, a retired policy that a
/// plan still names, and two plans.
let testPolicyRegistry = PolicyRegistry(
    policies: [
        PolicyDefinition(policyKey: "quota.gpus", scope: .project, type: .integer, default: .integer(8), description: "GPUs"),
        PolicyDefinition(policyKey: "access.gpu_models", scope: .project, type: .list, default: .list([]), description: "models"),
        PolicyDefinition(policyKey: "quota.gpus_by_model", scope: .project, type: .integerMap, default: .integerMap([:]), description: "by model"),
        PolicyDefinition(policyKey: "runtime.slurm", scope: .tenant, type: .flag, default: .flag(false), description: "slurm"),
        PolicyDefinition(policyKey: "platform.nodes", scope: .platform, type: .integer, default: .integer(1), description: "nodes"),
        PolicyDefinition(policyKey: "legacy.flag", scope: .project, type: .flag, default: .flag(false), lifecycle: .retired,
                         description: "retired"),
    ],
    plans: [
        PolicyPlan(planId: "plan.standard", description: "standard", values: ["quota.gpus": .integer(8)]),
        PolicyPlan(planId: "plan.research", description: "research",
                   values: ["quota.gpus": .integer(64), "runtime.slurm": .flag(true), "legacy.flag": .flag(true)]),
    ])

/// An auditor that writes each record into `policy_test_audit` on the caller's transaction, so
/// a rolled-back change leaves no record, as with the real audit log.
struct TableAudit: TransactionalAuditing {
    static let migrations = MigrationSet(module: "policy-test-audit", migrations: [
        Migration(version: 1, name: "create policy_test_audit", statements: [
            "CREATE TABLE policy_test_audit (seq BIGINT PRIMARY KEY, action TEXT NOT NULL, target TEXT NOT NULL, details TEXT NOT NULL)",
        ]),
    ])

    func append(_ event: AuditEvent, tenant: String?, in db: any SQLDatabase) async throws -> AuditRecord {
        let next = try await db.raw("SELECT COUNT(*) AS n FROM policy_test_audit").first()?.decode(column: "n", as: Int64.self) ?? 0
        let details = String(decoding: try JSONEncoder().encode(event.details), as: UTF8.self)
        try await db.insert(into: "policy_test_audit").columns("seq", "action", "target", "details")
            .values(SQLBind(next + 1), SQLBind(event.action), SQLBind(event.target), SQLBind(details)).run()
        return AuditRecord(sequence: next + 1, id: ULID().description, time: Timestamp.now().rfc3339, tenant: tenant, project: event.project,
                           actor: event.actor.rawValue, action: event.action, target: event.target, outcome: event.outcome,
                           requestId: event.requestID, details: event.details)
    }

    /// Every record, in order.
    static func records(_ store: SQLStore) async throws -> [(action: String, target: String, details: [String: String])] {
        try await store.read { db in
            try await db.raw("SELECT action, target, details FROM policy_test_audit ORDER BY seq").all().map { row in
                (try row.decode(column: "action", as: String.self), try row.decode(column: "target", as: String.self),
                 try JSONDecoder().decode([String: String].self, from: Data(try row.decode(column: "details", as: String.self).utf8)))
            }
        }
    }
}

/// Counts what the service reports to its metrics hooks.
final class PolicyObservations: Sendable {
    let rejects = Mutex<[PolicyWrite]>([])
    let ages = Mutex<[Duration]>([])

    var observers: PolicyService.Observers {
        var observers = PolicyService.Observers()
        observers.staleReject = { write in self.rejects.withLock { $0.append(write) } }
        observers.snapshotAge = { age in self.ages.withLock { $0.append(age) } }
        return observers
    }
}

/// A fresh store of `backend` with the policy schema and the test audit table.
func withPolicyStore<T>(_ backend: Backend, _ body: (SQLStore) async throws -> T) async throws -> T {
    try await withTemporaryDirectory { directory async throws in
        let store = try await SQLStore.open(try await backend.makeLocation(in: directory), logger: testLogger)
        do {
            try await Migrator(store: store, sets: [PolicySchema.migrations, TableAudit.migrations], logger: testLogger).migrate()
            let result = try await body(store)
            await store.shutdown()
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    }
}

/// A policy service over `store` with the test registry (unless given another).
func makePolicyService(_ store: SQLStore, registry: PolicyRegistry = testPolicyRegistry, defaultPlan: String = "plan.standard",
                       clock: any PlatformClock = ManualClock(), budget: Duration = .seconds(300),
                       observers: PolicyService.Observers = .init(), priceBook: PriceBook? = nil) -> PolicyService {
    PolicyService(store: store, audit: TableAudit(), registry: registry, defaultPlan: defaultPlan, priceBook: priceBook, clock: clock,
                  settings: .init(freshnessBudget: budget), observers: observers, logger: testLogger)
}

/// Runs `body` and returns the ``PlatformError`` it threw (`nil` when it did not throw one).
func platformError(_ body: () async throws -> Void) async -> PlatformError? {
    do {
        try await body()
        return nil
    } catch let error as PlatformError {
        return error
    } catch {
        return nil
    }
}

let admin = PrincipalID("admin")
