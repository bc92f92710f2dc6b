import PlatformContracts

/// The policy keys admission reads (`policies.yaml`, version 2).
enum AdmissionPolicy {
    static let concurrentInstances = "quota.concurrent_instances"
    static let gpus = "quota.gpus"
    static let gpusByModel = "quota.gpus_by_model"
    static let gpuHoursPerMonth = "quota.gpu_hours_per_month"
    static let gpuModels = "access.gpu_models"
    static let slurmFlag = "runtime.slurm"
    /// The usage-unit family GPU-hours are counted in: `gpu-hour` sums every
    /// `gpu-hour.<model>` (`usage-units.yaml`: quantities are GPU-seconds).
    static let gpuSecondUnit = "gpu-hour"
}

/// What a project holds now: its non-terminal instances and their GPUs, counted from the
/// rows in the admitting transaction (``InstanceRepository/admit(_:message:audit:check:)``),
/// so the count survives restarts and holds across replicas.
struct ProjectHoldings: Sendable, Equatable {
    var instances = 0
    var gpus = 0
    /// GPUs by model id; GPUs of instances that named no model are under `""`.
    var gpusByModel: [String: Int] = [:]
}

/// One project's limits in one policy snapshot: what admission enforces, and the snapshot id
/// it records on the row and in the audit. A key the snapshot lacks is no limit.
struct AdmissionLimits: Sendable {
    let snapshot: String
    let concurrentInstances: Int64?
    let gpus: Int64?
    let gpusByModel: [String: Int64]
    let gpuHoursPerMonth: Int64?
    /// Allowed GPU model ids; empty means any.
    let gpuModels: [String]

    init(_ snapshot: PolicySnapshot, project: Project) {
        let (id, tenant) = (project.id, project.tenantId)
        self.snapshot = snapshot.id
        concurrentInstances = snapshot.integer(AdmissionPolicy.concurrentInstances, project: id, tenant: tenant)
        gpus = snapshot.integer(AdmissionPolicy.gpus, project: id, tenant: tenant)
        gpusByModel = snapshot.integerMap(AdmissionPolicy.gpusByModel, project: id, tenant: tenant) ?? [:]
        gpuHoursPerMonth = snapshot.integer(AdmissionPolicy.gpuHoursPerMonth, project: id, tenant: tenant)
        gpuModels = snapshot.list(AdmissionPolicy.gpuModels, project: id, tenant: tenant) ?? []
    }

    /// The GPU request with a model the project may use (`access.gpu_models`): an explicit
    /// model must be allowed; otherwise the manifest's first allowed model is taken.
    /// - Throws: ``ErrorCode/policyFeatureDisabled`` when no allowed model fits.
    func permitted(_ request: GPURequest, declared: [String], explicit: Bool) throws(PlatformError) -> GPURequest {
        guard request.count > 0, !gpuModels.isEmpty else { return request }
        var request = request
        if !explicit, !declared.isEmpty, let model = declared.first(where: gpuModels.contains) { request.model = model }
        guard let model = request.model, gpuModels.contains(model) else {
            let asked = request.model ?? (declared.isEmpty ? "any model" : declared.joined(separator: ", "))
            throw PlatformError(.policyFeatureDisabled,
                                "this project may use GPU models \(gpuModels.joined(separator: ", ")) only, not \(asked); name one with --gpus MODEL:N",
                                details: ["policy": AdmissionPolicy.gpuModels, "allowed": gpuModels.joined(separator: ","),
                                          "model": request.model ?? "", "policy_snapshot": snapshot])
        }
        return request
    }

    /// Refuses a launch that would take the project past a limit.
    /// - Throws: ``ErrorCode/instanceQuotaExceeded`` naming the quota, limit, use and request.
    func check(adding request: GPURequest, to held: ProjectHoldings, project: String) throws(PlatformError) {
        if let limit = concurrentInstances, Int64(held.instances) + 1 > limit {
            throw refusal("concurrent_instances", limit: limit, used: held.instances, requested: 1,
                          "project \(project) already runs \(held.instances) instances; its quota is \(limit)")
        }
        if let limit = gpus, Int64(held.gpus + request.count) > limit, request.count > 0 {
            throw refusal("gpus", limit: limit, used: held.gpus, requested: request.count,
                          "project \(project) holds \(held.gpus) GPUs; \(request.count) more exceed its quota of \(limit)")
        }
        if request.count > 0, let model = request.model, let limit = gpusByModel[model] {
            let used = held.gpusByModel[model] ?? 0
            if Int64(used + request.count) > limit {
                throw refusal("gpus_by_model", limit: limit, used: used, requested: request.count,
                              "project \(project) holds \(used) \(model) GPUs; \(request.count) more exceed its \(model) quota of \(limit)",
                              model: model)
            }
        }
    }

    /// Refuses a GPU launch once the project's recorded GPU-seconds this month reach its GPU-hours.
    /// - Throws: ``ErrorCode/instanceQuotaExceeded``.
    func checkGPUHours(usedSeconds: Int64, requesting gpus: Int, project: String) throws(PlatformError) {
        guard gpus > 0, let hours = gpuHoursPerMonth, usedSeconds >= hours * 3600 else { return }
        throw PlatformError(.instanceQuotaExceeded,
                            "project \(project) used \(usedSeconds / 3600) of its \(hours) GPU-hours this month; GPU launches wait for the next month",
                            details: ["quota": "gpu_hours_per_month", "limit": String(hours), "used_gpu_seconds": String(usedSeconds),
                                      "policy_snapshot": snapshot])
    }

    private func refusal(_ quota: String, limit: Int64, used: Int, requested: Int, _ message: String,
                         model: String? = nil) -> PlatformError {
        var details = ["quota": quota, "limit": String(limit), "used": String(used), "requested": String(requested),
                       "policy_snapshot": snapshot]
        if let model { details["model"] = model }
        return PlatformError(.instanceQuotaExceeded, message, details: details)
    }

    /// A quota this admission takes to a threshold it was below: `quota.threshold` fires on the crossing.
    struct Crossing: Sendable, Equatable {
        var quota: String
        var used: Int
        var limit: Int64
        var percent: Int
    }

    /// The thresholds (80 % and 100 %) of `concurrent_instances` and `gpus` that going from
    /// `held` to `held` plus this launch crosses. Only a crossing counts: a project already
    /// past 80 % is not told again by every later launch.
    func crossings(adding request: GPURequest, to held: ProjectHoldings) -> [Crossing] {
        var found: [Crossing] = []
        for (quota, limit, before, after) in [("concurrent_instances", concurrentInstances, held.instances, held.instances + 1),
                                              ("gpus", gpus, held.gpus, held.gpus + request.count)] {
            guard let limit, limit > 0, after > before else { continue }
            for percent in [80, 100] where Int64(before) * 100 < limit * Int64(percent) && Int64(after) * 100 >= limit * Int64(percent) {
                found.append(Crossing(quota: quota, used: after, limit: limit, percent: percent))
            }
        }
        return found
    }
}

extension Timestamp {
    /// The first instant of this timestamp's calendar month (UTC): where "this month's
    /// GPU-hours" start counting.
    var monthStart: Timestamp {
        Timestamp(rfc3339: String(rfc3339.prefix(7)) + "-01T00:00:00.000Z") ?? self
    }
}
