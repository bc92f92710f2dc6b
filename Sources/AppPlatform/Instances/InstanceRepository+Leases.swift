import Foundation
import PlatformContracts
import PlatformStore
import SQLKit

/// The supervisor leases of instances (``InstanceLease``), the stops asked of other replicas
/// (``InstanceStopRequest``) and the endpoint ports live instances hold (`apps_instance_ports`).
extension InstanceRepository {
    /// Non-terminal instances `holder` may claim now: those whose lease has run out (or that
    /// never had one), and with `includingOwn` those already `holder`'s (a restarted replica
    /// takes its own back at once; the periodic takeover leaves them to their renewals).
    func claimable(by holder: String, nowMs: Int64, includingOwn: Bool) async throws -> [InstanceRow] {
        try await store.read { db in
            try await db.select().columns("*").from("apps_instances").where("phase", .notIn, Self.terminalPhaseNames)
                .where { group in
                    var group = group.where("supervisor", .is, SQLLiteral.null).orWhere("lease_expires_ms", .is, SQLLiteral.null)
                        .orWhere("lease_expires_ms", .lessThan, nowMs)
                    if includingOwn { group = group.orWhere("supervisor", .equal, holder) }
                    return group
                }
                .orderBy("created_at").all().map(InstanceRow.init(row:))
        }
    }

    /// Claims `row` for `holder` until `untilMs` if nobody claimed it since it was read (its
    /// fence is unchanged) and, unless it is `holder`'s own, its lease has run out by `nowMs`.
    /// - Parameter unconditionally: Whatever the lease says (SQLite: one process per database).
    /// - Returns: The row with its new lease, or `nil` when another replica got there first.
    func claim(_ row: InstanceRow, for holder: String, nowMs: Int64, untilMs: Int64, unconditionally: Bool = false) async throws -> InstanceRow? {
        let fence = row.lease?.fence ?? 0
        let claimed = try await store.transaction { db in
            try await db.raw("""
                UPDATE apps_instances SET supervisor = \(bind: holder), lease_fence = lease_fence + 1, lease_expires_ms = \(bind: untilMs)
                WHERE id = \(bind: row.id) AND lease_fence = \(bind: fence)
                AND (\(bind: unconditionally ? 1 : 0) = 1 OR supervisor IS NULL OR supervisor = \(bind: holder)
                     OR lease_expires_ms IS NULL OR lease_expires_ms < \(bind: nowMs))
                RETURNING lease_fence
                """).first()?.decode(column: "lease_fence", as: Int64.self)
        }
        guard let claimed else { return nil }
        var row = row
        row.lease = InstanceLease(holder: holder, fence: claimed)
        row.leaseExpiresMs = untilMs
        return row
    }

    /// Extends `holder`'s leases on `ids` to `untilMs`.
    /// - Returns: For each instance still `holder`'s, its fence and the stop asked of it, if any;
    ///   an id missing from the answer is no longer `holder`'s.
    func renew(_ ids: [String], holder: String, untilMs: Int64) async throws -> [String: RenewedLease] {
        var renewed: [String: RenewedLease] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            let rows = try await store.transaction { db in
                try await db.raw("""
                    UPDATE apps_instances SET lease_expires_ms = \(bind: untilMs)
                    WHERE supervisor = \(bind: holder) AND id IN (\(binds: chunk))
                    RETURNING id, lease_fence, stop_request
                    """).all()
            }
            for row in rows {
                renewed[try row.decode(column: "id", as: String.self)] = RenewedLease(
                    fence: try row.decode(column: "lease_fence", as: Int64.self),
                    stopRequest: InstanceRow.decode(InstanceStopRequest.self, try row.decode(column: "stop_request", as: String?.self)))
            }
        }
        return renewed
    }

    /// Throws ``InstanceLeaseLost`` unless `row`'s lease is still the stored one. Run inside
    /// the write's transaction (locking the row on PostgreSQL), so no claim lands between the
    /// check and the write.
    static func checkLease(_ row: InstanceRow, _ db: any SQLDatabase) async throws {
        guard let lease = row.lease else { return }
        guard let stored = try await db.select().columns("supervisor", "lease_fence").from("apps_instances")
            .where("id", .equal, row.id).for(.update).first() else { return }
        let holder = try stored.decode(column: "supervisor", as: String?.self)
        guard holder == lease.holder, try stored.decode(column: "lease_fence", as: Int64.self) == lease.fence else {
            throw InstanceLeaseLost(instance: row.id, holder: holder)
        }
    }

    /// Keeps a stop for the replica supervising the instance and tells it (`NOTIFY
    /// platform_instances`), unless the instance is terminal, already stopping or already asked.
    /// - Returns: Whether this request was recorded.
    func requestStop(_ id: String, _ request: InstanceStopRequest) async throws -> Bool {
        let store = self.store
        return try await store.transaction { db in
            let recorded = try await db.raw("""
                UPDATE apps_instances SET stop_request = \(bind: InstanceRow.json(request))
                WHERE id = \(bind: id) AND stop_request IS NULL AND stop_requested = 0 AND phase NOT IN (\(binds: Self.terminalPhaseNames))
                RETURNING id
                """).first() != nil
            if recorded { try await store.notify(.instances, payload: "stop:\(id)", in: db) }
            return recorded
        }
    }

    /// The stop asked of instance `id` by another replica, if any.
    func stopRequest(of id: String) async throws -> InstanceStopRequest? {
        try await store.read { db in
            InstanceRow.decode(InstanceStopRequest.self, try await db.select().column("stop_request").from("apps_instances")
                .where("id", .equal, id).first(decodingColumn: "stop_request", as: String?.self) ?? nil)
        }
    }

    /// Deletes the GPU claims of instances that ended: a terminal phase deletes its own in
    /// its transaction, so this finds only those a replica claimed after another ended the
    /// instance (a start or restart that lost its lease).
    func releaseClaimsOfEndedInstances() async throws {
        try await store.transaction { db in
            try await db.raw("""
                DELETE FROM apps_gpu_claims WHERE instance_id IN
                (SELECT id FROM apps_instances WHERE phase IN (\(binds: Self.terminalPhaseNames)))
                """).run()
        }
    }

    // MARK: Connect activity

    /// Raises each instance's `connect_activity_ms` to the given time (never lowers it).
    func recordActivity(_ lastMs: [String: Int64]) async throws {
        guard !lastMs.isEmpty else { return }
        try await store.transaction { db in
            for (id, ms) in lastMs.sorted(by: { $0.key < $1.key }) {
                try await db.raw("""
                    UPDATE apps_instances SET connect_activity_ms = \(bind: ms)
                    WHERE id = \(bind: id) AND (connect_activity_ms IS NULL OR connect_activity_ms < \(bind: ms))
                    """).run()
            }
        }
    }

    /// The last connect activity recorded for each of `ids` that has any.
    func recordedActivity(_ ids: [String]) async throws -> [String: Int64] {
        guard !ids.isEmpty else { return [:] }
        return try await store.read { db in
            var found: [String: Int64] = [:]
            for row in try await db.select().columns("id", "connect_activity_ms").from("apps_instances").where("id", .in, ids)
                .where("connect_activity_ms", .isNot, SQLLiteral.null).all() {
                found[try row.decode(column: "id", as: String.self)] = try row.decode(column: "connect_activity_ms", as: Int64.self)
            }
            return found
        }
    }

    // MARK: Ports

    /// Those of `ports` a live instance holds.
    func portsTaken(_ ports: some Collection<Int>) async throws -> Set<Int> {
        guard !ports.isEmpty else { return [] }
        return try await store.read { db in
            Set(try await db.select().column("port").from("apps_instance_ports").where("port", .in, Array(ports)).all()
                .map { try $0.decode(column: "port", as: Int.self) })
        }
    }

    /// Records `row`'s ports as held by it; the primary key refuses a port another holds.
    static func holdPorts(of row: InstanceRow, ignoringHeld: Bool = false, _ db: any SQLDatabase) async throws {
        for port in row.endpoints.values.sorted() {
            if ignoringHeld {
                try await db.raw("INSERT INTO apps_instance_ports (port, instance_id) VALUES (\(bind: port), \(bind: row.id)) ON CONFLICT DO NOTHING").run()
            } else {
                try await db.insert(into: "apps_instance_ports").columns("port", "instance_id").values(SQLBind(port), SQLBind(row.id)).run()
            }
        }
    }

    /// Records a claimed instance's ports (instances from before the table had none there).
    func holdPorts(of row: InstanceRow) async throws {
        guard !row.endpoints.isEmpty else { return }
        try await store.transaction { db in try await Self.holdPorts(of: row, ignoringHeld: true, db) }
    }

    /// Frees the ports of a terminal instance.
    static func freePorts(of id: String, _ db: any SQLDatabase) async throws {
        try await db.delete(from: "apps_instance_ports").where("instance_id", .equal, id).run()
    }
}
