import Foundation
import Logging
import PlatformContracts
import PlatformStore
import SQLKit
import Synchronization

extension PolicyService {
    /// How often a change re-reads and retries after another writer took its version.
    static let writeAttempts = 16

    /// Loads the newest snapshot; when there is none, or this replica's registry (definitions,
    /// plans, default plan) differs from the newest's, writes a new one on top of it (its
    /// tenants' plans, departments and overrides kept), audited as `policy.snapshot.registry`.
    /// - Throws: store errors.
    @discardableResult
    public func load() async throws -> PolicySnapshot {
        for _ in 0..<Self.writeAttempts {
            let time = clock.now()
            let newest = try await store.read { db in try await Self.newest(db) }
            if let newest, matchesRegistry(newest) {
                adopt(newest, confirmedAt: time)
                return newest
            }
            let next = registrySnapshot(id: ULID(milliseconds: time.millisecondsSinceEpoch).description,
                                        version: (newest?.version ?? 0) + 1, base: newest)
            do {
                try await store.transaction { db in
                    try await Self.insert(next, by: "platformd", reason: "policy.snapshot.registry", in: db)
                    try await audit.append(
                        AuditEvent(actor: PrincipalID("platformd"), action: "policy.snapshot.registry", target: "policy",
                                   outcome: .success,
                                   details: ["policy_snapshot": next.id, "policy_version": "\(next.version)",
                                             "previous_snapshot": newest?.id ?? "", "default_plan": defaultPlan]),
                        tenant: nil, in: db)
                }
            } catch let error as PlatformError where error.code == .storeConflict {
                continue
            }
            logger.info("policy registry changed: new policy snapshot", metadata: [
                "policy_snapshot": "\(next.id)", "version": "\(next.version)"])
            adopt(next, confirmedAt: time)
            return next
        }
        throw PlatformError(.storeConflict, "the policy snapshot kept changing while this replica wrote its registry's snapshot")
    }

    /// Confirms the local snapshot is the newest (one indexed `MAX(version)` read), taking the
    /// newest row when another replica wrote one. Loads first when nothing is loaded.
    /// - Throws: store errors; the confirmation time then stays where it was.
    @discardableResult
    public func refresh() async throws -> PolicySnapshot {
        do {
            return try await confirmNewest()
        } catch {
            // The gauge keeps growing while refreshes fail, which is what an operator watches.
            observers.snapshotAge(age)
            throw error
        }
    }

    private func confirmNewest() async throws -> PolicySnapshot {
        guard let current = state.withLock({ $0.current }) else { return try await load() }
        let time = clock.now()
        let version = try await store.read { db in
            try await db.select().column(SQLFunction("MAX", args: SQLColumn("version")), as: "v").from(PolicySchema.table)
                .first()?.decode(column: "v", as: Int64?.self) ?? 0
        }
        if version <= current.version {
            adopt(current, confirmedAt: time)
            observers.snapshotAge(age)
            return current
        }
        guard let newest = try await store.read({ db in try await Self.newest(db) }).map(withPriceBook) else { return current }
        adopt(newest, confirmedAt: time)
        observers.snapshotAge(age)
        return state.withLock { $0.current } ?? newest
    }

    /// A snapshot by id, however old: long-lived resources name the one they were created under.
    public func snapshot(id: String) async throws -> PolicySnapshot? {
        try await store.read { db in
            guard let row = try await db.select().column("document").from(PolicySchema.table).where("id", .equal, SQLBind(id)).first()
            else { return nil }
            return withPriceBook(try Self.decode(row.decode(column: "document", as: String.self)))
        }
    }

    /// The newest snapshots, newest first.
    public func history(limit: Int = 20) async throws -> [PolicySnapshot] {
        try await store.read { db in
            try await db.select().column("document").from(PolicySchema.table).orderBy("version", .descending).limit(max(1, limit)).all()
                .map { withPriceBook(try Self.decode($0.decode(column: "document", as: String.self))) }
        }
    }

    /// Writes one change: reads the newest snapshot inside the transaction, applies `change`
    /// (which validates and returns the audit event), inserts the next version and appends the
    /// audit record; retries from the top when another writer took the version first.
    func write(by actor: PrincipalID, tenant: String?,
               _ change: @Sendable (inout PolicySnapshot) throws(PlatformError) -> AuditEvent) async throws -> PolicySnapshot {
        _ = try await loaded()
        for _ in 0..<Self.writeAttempts {
            let time = clock.now()
            do {
                let next = try await store.transaction { db -> PolicySnapshot in
                    guard let newest = try await Self.newest(db) else {
                        throw PlatformError(.storeConflict, "no policy snapshot yet")
                    }
                    var next = withPriceBook(newest)
                    var event = try change(&next)
                    next.id = ULID(milliseconds: time.millisecondsSinceEpoch).description
                    next.version = newest.version + 1
                    next.createdAt = time
                    event.details["policy_snapshot"] = next.id
                    event.details["policy_version"] = "\(next.version)"
                    event.details["previous_snapshot"] = newest.id
                    try await Self.insert(next, by: actor.rawValue, reason: event.action, in: db)
                    try await audit.append(event, tenant: tenant, in: db)
                    return next
                }
                adopt(next, confirmedAt: time)
                return next
            } catch let error as PlatformError where error.code == .storeConflict {
                if state.withLock({ $0.current == nil }) { _ = try await load() }
                continue
            }
        }
        throw PlatformError(.storeConflict, "the policy snapshot kept changing while this change was written; try again")
    }

    /// Whether `snapshot` carries this replica's registry, default plan and price book (a
    /// newer price book is a new snapshot, so a rated charge's snapshot id names its prices).
    func matchesRegistry(_ snapshot: PolicySnapshot) -> Bool {
        snapshot.definitions == registry.definitions && snapshot.plans == registry.plansByID && snapshot.defaultPlan == defaultPlan
            && (priceBook == nil || snapshot.priceBook == priceBook)
    }

    /// This replica's registry over `base`'s tenants' plans, departments and overrides.
    func registrySnapshot(id: String, version: Int64, base: PolicySnapshot?) -> PolicySnapshot {
        PolicySnapshot(id: id, version: version, createdAt: clock.now(), definitions: registry.definitions, plans: registry.plansByID,
                       defaultPlan: defaultPlan, tenantPlans: base?.tenantPlans ?? [:], departments: base?.departments ?? [:],
                       overrides: base?.overrides ?? [], priceBook: priceBook ?? base?.priceBook)
    }

    /// A snapshot read back from the table: one written before snapshots carried a price book
    /// gets this replica's, so every snapshot a caller sees has one.
    func withPriceBook(_ snapshot: PolicySnapshot) -> PolicySnapshot {
        guard snapshot.priceBook == nil, let priceBook else { return snapshot }
        var filled = snapshot
        filled.priceBook = priceBook
        return filled
    }

    static func newest(_ db: any SQLDatabase) async throws -> PolicySnapshot? {
        guard let row = try await db.select().column("document").from(PolicySchema.table).orderBy("version", .descending).limit(1).first()
        else { return nil }
        return try decode(row.decode(column: "document", as: String.self))
    }

    static func insert(_ snapshot: PolicySnapshot, by actor: String, reason: String, in db: any SQLDatabase) async throws {
        let document = String(decoding: try encoder.encode(snapshot), as: UTF8.self)
        try await db.insert(into: PolicySchema.table)
            .columns("version", "id", "created_at", "created_by", "reason", "document")
            .values(SQLBind(snapshot.version), SQLBind(snapshot.id), SQLBind(Int64(snapshot.createdAt.millisecondsSinceEpoch)),
                    SQLBind(actor), SQLBind(reason), SQLBind(document))
            .run()
    }

    static func decode(_ document: String) throws -> PolicySnapshot {
        do {
            return try JSONDecoder().decode(PolicySnapshot.self, from: Data(document.utf8))
        } catch {
            throw PlatformError(.storeQueryFailed, "a policy snapshot row cannot be read: \(error)")
        }
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
