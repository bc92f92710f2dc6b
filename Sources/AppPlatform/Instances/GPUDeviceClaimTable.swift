import PlatformContracts
import PlatformStore
import RuntimeKit
import SQLKit

/// ``GPUDeviceClaims`` in `apps_gpu_claims`: one row per (node, device, instance) with the
/// holder's sharing. A claim reads the devices' other holders (by device UUID, whatever node
/// name the replica gave) and inserts in one transaction, serialized by one transaction
/// advisory lock on PostgreSQL (claims happen at starts only) or SQLite's single writer, so
/// two replicas never both claim one device exclusively. A terminal phase deletes the
/// instance's claims in its own transaction (``InstanceRepository``), so they end with it
/// even when its workload is released by another replica or never.
public struct GPUDeviceClaimTable: GPUDeviceClaims {
    let store: SQLStore

    public init(store: SQLStore) {
        self.store = store
    }

    public func claim(_ allocation: GPUAllocation, sharing: GPUSharing) async throws -> Set<String> {
        let devices = allocation.devices.map(\.uuid)
        guard !devices.isEmpty else { return [] }
        let store = self.store
        return try await store.transaction { db in
            if store.backend == .postgres {
                try await db.raw("SELECT pg_advisory_xact_lock(hashtext('apps.gpu.claims'))").run()
            }
            var taken: Set<String> = []
            // By device UUID alone: replicas on one host may not agree on its name (containers).
            for row in try await db.select().columns("device", "sharing").from("apps_gpu_claims").where("device", .in, devices)
                .where("instance_id", .notEqual, allocation.instance).all() {
                let held = GPUSharing(rawValue: try row.decode(column: "sharing", as: String.self)) ?? .exclusive
                if sharing != .shared || held != .shared { taken.insert(try row.decode(column: "device", as: String.self)) }
            }
            guard taken.isEmpty else { return taken }
            for device in devices {
                try await db.raw("""
                    INSERT INTO apps_gpu_claims (node, device, instance_id, sharing)
                    VALUES (\(bind: allocation.node), \(bind: device), \(bind: allocation.instance), \(bind: sharing.rawValue))
                    ON CONFLICT DO NOTHING
                    """).run()
            }
            return []
        }
    }

    public func release(instance: String) async throws {
        try await store.transaction { db in try await Self.release(instance: instance, db) }
    }

    /// Deletes `instance`'s claims in the caller's transaction.
    static func release(instance: String, _ db: any SQLDatabase) async throws {
        try await db.delete(from: "apps_gpu_claims").where("instance_id", .equal, instance).run()
    }
}
