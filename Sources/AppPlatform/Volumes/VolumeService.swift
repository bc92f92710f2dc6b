import PlatformContracts
import PlatformStore
import RuntimeKit

/// A project's persistent volumes: created (by API, or provisioned by a launch whose
/// manifest mounts a volume the project lacks), listed with the live instances mounting
/// each, and deleted with their data once none does.
///
/// The rows are the truth for quota (`quota.volume_bytes`, provisioned sizes, counted in the
/// create's transaction); the data lives where the volume's adapter keeps it
/// (``RuntimeVolumeSupport``), so a volume mounts only on its own adapter.
public final class VolumeService: Sendable {
    /// The policy key of the project's volume byte quota.
    static let quotaKey = "quota.volume_bytes"
    /// The largest volume one request may ask for (64 TiB, the manifest schema's bound).
    static let maxSizeMiB = 67_108_864

    let repository: VolumeRepository
    let adapters: [String: any RuntimeAdapter]
    let policy: any PolicyEvaluator
    let clock: any PlatformClock

    init(store: SQLStore, audit: any TransactionalAuditing, adapters: [String: any RuntimeAdapter], policy: any PolicyEvaluator,
         clock: any PlatformClock) {
        self.repository = VolumeRepository(store: store, audit: audit)
        self.adapters = adapters
        self.policy = policy
        self.clock = clock
    }

    /// Creates a volume and provisions its storage on its adapter.
    /// - Throws: ``ErrorCode/volumeInvalid`` (name, size, an adapter without volumes),
    ///   ``ErrorCode/volumeExists``, ``ErrorCode/instanceQuotaExceeded`` (`details.quota`
    ///   `volume_bytes`), ``ErrorCode/policyStale``.
    public func create(in project: Project, _ request: VolumeRequest, by caller: Caller, requestID: String?) async throws -> VolumeRecord {
        try await create(in: project, request, by: caller, requestID: requestID, provisionedBy: nil)
    }

    /// The project's volumes by name, with the live instances mounting each.
    public func list(in project: Project) async throws -> [VolumeRecord] {
        try await repository.list(project: project.id)
    }

    /// Deletes a volume (by name or id) and its data.
    /// - Throws: ``ErrorCode/volumeNotFound``, ``ErrorCode/volumeInUse`` while a live instance mounts it.
    public func delete(in project: Project, name: String, by caller: Caller, requestID: String?) async throws {
        guard let record = try await repository.find(name, project: project.id) else {
            throw PlatformError(.volumeNotFound, "no volume \(name) in project \(project.id)", details: ["volume": name])
        }
        try await repository.delete(record, tenant: project.tenantId, audit: AuditEvent(
            actor: PrincipalID(caller.principalId), action: "apps.volume.delete", target: "volume/\(record.id)", outcome: .success,
            requestID: requestID, details: ["name": record.name, "adapter": record.adapter, "size_mib": String(record.sizeMiB)],
            project: project.id))
        // The row is gone (nothing mounts it any more); its data goes with it.
        if let storage = adapters[record.adapter] as? any RuntimeVolumeSupport {
            try await storage.removeVolume(RuntimeVolume(project: project.id, id: record.id, sizeMiB: record.sizeMiB))
        }
    }

    /// The launch's volumes with every persistent one resolved to its project volume
    /// (``VolumeMount/volumeId`` and its size): an absent one is provisioned now on `adapter`
    /// with the manifest's size (default 1024 MiB), audited as `apps.volume.create`.
    /// - Throws: ``ErrorCode/volumeInvalid`` for a bad mount path, two mounts at one path, a
    ///   volume that lives on another adapter or an adapter without persistent volumes.
    func resolve(_ mounts: [VolumeMount], project: Project, adapter: String, caller: Caller, requestID: String?,
                 instance: String) async throws -> [VolumeMount] {
        var seen: Set<String> = []
        var resolved: [VolumeMount] = []
        for var mount in mounts {
            guard mount.hasValidMountPath else {
                throw PlatformError(.volumeInvalid, "volume \(mount.name): mountPath \(mount.mountPath) is not an absolute path under / outside /proc, /sys and /dev",
                                    details: ["volume": mount.name])
            }
            guard seen.insert(mount.mountPath).inserted else {
                throw PlatformError(.volumeInvalid, "two volumes are mounted at \(mount.mountPath)", details: ["volume": mount.name])
            }
            if mount.kind == .persistent {
                let record = try await volume(named: mount.name, size: mount.sizeMiB, project: project, adapter: adapter, caller: caller,
                                              requestID: requestID, instance: instance)
                mount.volumeId = record.id
                mount.sizeMiB = record.sizeMiB
            } else {
                mount.sizeMiB = mount.sizeMiB ?? VolumeMount.defaultSizeMiB
            }
            resolved.append(mount)
        }
        return resolved
    }

    private func volume(named name: String, size: Int?, project: Project, adapter: String, caller: Caller, requestID: String?,
                        instance: String) async throws -> VolumeRecord {
        for _ in 0..<2 {
            if let record = try await repository.find(name, project: project.id), record.name == name {
                guard record.adapter == adapter else {
                    throw PlatformError(.volumeInvalid, "volume \(name) lives on the \(record.adapter) adapter; an instance on \(adapter) cannot mount it",
                                        details: ["volume": name, "adapter": record.adapter])
                }
                return record
            }
            do {
                return try await create(in: project, VolumeRequest(name: name, sizeMiB: size ?? VolumeMount.defaultSizeMiB, adapter: adapter),
                                        by: caller, requestID: requestID, provisionedBy: instance)
            } catch let error as PlatformError where error.code == .volumeExists {
                continue  // another launch provisioned it first: mount that one
            }
        }
        throw PlatformError(.volumeInvalid, "volume \(name) could not be resolved", details: ["volume": name])
    }

    private func create(in project: Project, _ request: VolumeRequest, by caller: Caller, requestID: String?,
                        provisionedBy instance: String?) async throws -> VolumeRecord {
        try Self.validate(request)
        let adapterName = request.adapter ?? "local"
        guard let storage = adapters[adapterName] as? any RuntimeVolumeSupport else {
            let known = adapters.keys.sorted().joined(separator: ", ")
            throw PlatformError(.volumeInvalid,
                                adapters[adapterName] == nil ? "the \(adapterName) adapter is not configured on this server (it has \(known))"
                                    : "the \(adapterName) adapter keeps no persistent volumes",
                                details: ["adapter": adapterName])
        }
        let snapshot = try await policy.snapshot(for: .capacity)
        let record = VolumeRecord(id: ULID().description, name: request.name, project: project.id, sizeMiB: request.sizeMiB,
                                  adapter: adapterName, createdAt: clock.now().rfc3339, createdBy: caller.principalId)
        var details = ["name": record.name, "adapter": adapterName, "size_mib": String(record.sizeMiB), "policy_snapshot": snapshot.id]
        if let instance { details["provisioned_by"] = "instance/\(instance)" }
        try await repository.insert(record, tenant: project.tenantId,
                                    limitBytes: snapshot.integer(Self.quotaKey, project: project.id, tenant: project.tenantId),
                                    snapshot: snapshot.id,
                                    audit: AuditEvent(actor: PrincipalID(caller.principalId), action: "apps.volume.create",
                                                      target: "volume/\(record.id)", outcome: .success, requestID: requestID,
                                                      details: details, project: project.id))
        do {
            try await storage.provisionVolume(RuntimeVolume(project: project.id, id: record.id, sizeMiB: record.sizeMiB))
        } catch {
            try? await repository.forget(record.id)
            throw error as? PlatformError ?? PlatformError(.volumeInvalid, "the \(adapterName) adapter could not provision volume \(record.name): \(error)")
        }
        return record
    }

    /// Names are lowercase letters, digits and dashes (1–63, starting and ending with a
    /// letter or digit); sizes 1 MiB to 64 TiB.
    static func validate(_ request: VolumeRequest) throws(PlatformError) {
        let name = request.name
        let allowed = name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
        guard (1...63).contains(name.count), allowed, name.first != "-", name.last != "-" else {
            throw PlatformError(.volumeInvalid, "a volume name is 1–63 lowercase letters, digits and dashes, not \"\(name.prefix(80))\"",
                                details: ["field": "name"])
        }
        guard (1...maxSizeMiB).contains(request.sizeMiB) else {
            throw PlatformError(.volumeInvalid, "a volume's sizeMiB is 1 to \(maxSizeMiB), not \(request.sizeMiB)", details: ["field": "sizeMiB"])
        }
    }
}
