import PlatformStore
import ArtifactRegistry
import Logging
import ManifestKit
import Foundation
import PlatformContracts
import RuntimeKit
import SQLKit

extension InstanceService {
    /// Admits and accepts a launch. Refusals come before anything starts, each with its own
    /// code, and are audited as `apps.instance.refuse`:
    /// ``ErrorCode/appNotFound``, ``ErrorCode/manifestInvalid``, ``ErrorCode/iamForbidden``
    /// (the manifest's launch scopes), ``ErrorCode/instanceLaunchInvalid`` (parameters, GPUs,
    /// environment, adapter not in the manifest), ``ErrorCode/runtimeAdapterUnavailable``,
    /// ``ErrorCode/instanceArtifactUntrusted`` (fail closed), ``ErrorCode/instanceQuotaExceeded``,
    /// ``ErrorCode/runtimePlacementUnsatisfiable``.
    public func launch(project reference: String, _ request: LaunchRequest, by caller: Caller, requestID: String?) async throws -> InstanceRecord {
        let project = try await identity.project(reference, visibleTo: caller)
        try await awaitRecovery()
        do {
            return try await admit(project: project, request, caller: caller, requestID: requestID)
        } catch let error as PlatformError where error.code != .storeUnavailable {
            let audit = self.audit
            _ = try? await store.transaction { db in
                try await audit.append(
                    AuditEvent(actor: PrincipalID(caller.principalId), action: "apps.instance.refuse",
                               target: "app/\(project.id)/\(request.app)@\(request.version ?? "latest")", outcome: .denied,
                               requestID: requestID, details: ["code": error.code.rawValue, "message": String(error.message.prefix(300))],
                               project: project.id),
                    tenant: project.tenantId, in: db)
            }
            throw error
        }
    }

    private func admit(project: Project, _ request: LaunchRequest, caller: Caller, requestID: String?) async throws -> InstanceRecord {
        try request.validateText()  // TextPolicy: identifiers hold no control characters
        try await requireScope("apps:instance:launch", caller: caller, what: "launching \(request.app)")
        // The app version and its manifest, re-validated with today's registries.
        let versions = try await catalog.versions(project: project.id, name: request.app, visibleTo: caller)
        guard let version = request.version.map({ wanted in versions.first { $0.version == wanted } }) ?? versions.last else {
            throw PlatformError(.appNotFound, "\(request.app) has no version \(request.version ?? "") in project \(project.id)",
                                details: ["versions": versions.map(\.version).joined(separator: ",")])
        }
        let report = validator.validate(text: version.manifest, file: "\(request.app)@\(version.version)")
        guard report.valid else {
            throw PlatformError(.manifestInvalid, "the registered manifest no longer validates: \(report.diagnostics.first.map { "\($0.code): \($0.message)" } ?? "")")
        }
        let manifest: LaunchManifest
        do {
            manifest = try LaunchManifest.parse(version.manifest)
        } catch {
            throw PlatformError(.manifestInvalid, "the registered manifest of \(request.app)@\(version.version) cannot be read for launching: \(error)")
        }
        guard let mode = LaunchSpec.Mode(rawValue: manifest.mode) else {
            throw PlatformError(.instanceLaunchInvalid, "mode \(manifest.mode) cannot be launched")
        }
        for scope in manifest.access?.launchScopes ?? [] {
            try await requireScope(scope, caller: caller, what: "the manifest of \(request.app) says launching")
        }

        // Environment and adapter.
        let environment = request.environment ?? settings.defaultEnvironment
        guard let environmentTrust = settings.environments[environment] else {
            throw PlatformError(.instanceLaunchInvalid, "unknown environment \(environment); this server knows \(settings.environments.keys.sorted().joined(separator: ", "))")
        }
        let listed = manifest.runtime?.adapters ?? adapterNames
        let adapterName = request.adapter ?? listed.first { adapters[$0] != nil } ?? listed.first ?? "local"
        guard listed.contains(adapterName) else {
            throw PlatformError(.instanceLaunchInvalid, "\(request.app) does not run on the \(adapterName) adapter (manifest lists \(listed.joined(separator: ", ")))")
        }
        guard let adapter = adapters[adapterName] else {
            throw PlatformError(.instanceLaunchInvalid, "the \(adapterName) adapter is not configured on this server (it has \(adapterNames.joined(separator: ", ")))",
                                details: ["adapter": adapterName])
        }

        // Parameters, GPUs, ports: the launch spec.
        let id = ULID().description
        let gpu = try gpuRequest(manifest, override: request.gpus)
        let ports = try allocatePorts(manifest.endpoints ?? [])
        var spec: LaunchSpec
        do {
            let values = try parameterValues(manifest, request.params ?? [:])
            let image = try await pinnedImage(manifest, project: project, caller: caller, requiring: environmentTrust, environment: environment)
            spec = try LaunchSpecBuilder.build(id: id, project: project.id, manifest: manifest, mode: mode, image: image, params: values,
                                                ports: ports, gpus: gpu.request, sharing: gpu.shared, adapter: adapterName,
                                                sshUserCA: settings.sshUserCA)
            try adapter.validate(spec)
            try reserveQuota(project: project, gpus: gpu.request.count)
            defer { releaseQuotaReservation(project: project.id, gpus: gpu.request.count) }
            let plan = try await adapter.plan(spec)
            let readiness = manifest.health?.readiness.flatMap { probe -> ReadinessProbe? in
                guard let endpoint = probe.endpoint, let port = ports[endpoint] else { return nil }
                return ReadinessProbe(endpoint: endpoint, port: port, path: probe.path ?? "/",
                                      withinMinutes: manifest.evidence?.readyWithinMinutes ?? settings.defaultReadyWithinMinutes)
            }
            var row = InstanceRow(
                id: id, projectId: project.id, tenantId: project.tenantId, app: manifest.metadata.name, version: manifest.metadata.version,
                adapter: adapterName, environment: environment, mode: mode.rawValue,
                image: "\(image.repository)@\(image.manifestDigest)", spec: spec, readiness: mode == .job ? nil : readiness,
                gpuCount: gpu.request.count, endpoints: ports, launchedBy: caller.principalId, now: Timestamp.now().rfc3339)
            row.message = "admitted into \(environment); \(plan.summary)"
            row.readyDeadlineMs = nil
            let accepted = row
            let audit = self.audit
            try await store.transaction { db in
                try await accepted.insert(into: db)
                try await db.insert(into: "apps_instance_events").columns("instance_id", "seq", "phase", "reason", "message", "at")
                    .values(SQLBind(accepted.id), SQLBind(1), SQLBind("accepted"), SQLBind(String?.none), SQLBind(accepted.message),
                            SQLBind(accepted.createdAt))
                    .run()
                try await audit.append(
                    AuditEvent(actor: PrincipalID(caller.principalId), action: "apps.instance.launch", target: "instance/\(accepted.id)",
                               outcome: .success, requestID: requestID,
                               details: ["app": "\(accepted.app)@\(accepted.version)", "adapter": adapterName, "environment": environment,
                                         "image": accepted.image, "gpus": String(accepted.gpuCount)],
                               project: project.id),
                    tenant: project.tenantId, in: db)
            }
            active[id] = accepted
            inFlight.insert(id)
            Task { await self.begin(id, plan: plan) }
            publishCounts()
            return accepted.record
        } catch {
            portsInUse.subtract(ports.values)
            throw error
        }
    }

    func gpuRequest(_ manifest: LaunchManifest, override: String?) throws(PlatformError) -> (request: GPURequest, shared: Bool) {
        let declared = manifest.resources?.gpu
        var model = declared?.models?.first
        var count = declared?.count ?? 0
        if let override {
            let parts = override.split(separator: ":").map(String.init)
            guard (1...2).contains(parts.count), let number = Int(parts.last ?? ""), number >= 0, number <= 64 else {
                throw PlatformError(.instanceLaunchInvalid, "--gpus takes MODEL:N or N (0…64), not \(override)")
            }
            if parts.count == 2 {
                if let allowed = declared?.models, !allowed.isEmpty, !allowed.contains(parts[0]) {
                    throw PlatformError(.instanceLaunchInvalid, "\(manifest.metadata.name) runs on \(allowed.joined(separator: ", ")), not \(parts[0])")
                }
                model = parts[0]
            }
            count = number
        }
        return (GPURequest(model: model, count: count, minMemoryMiB: declared?.minMemoryMiB ?? 0), declared?.sharing == "shared")
    }

    func parameterValues(_ manifest: LaunchManifest, _ given: [String: String]) throws(PlatformError) -> [String: String] {
        let declared = manifest.params ?? []
        if let unknown = given.keys.sorted().first(where: { name in !declared.contains { $0.name == name } }) {
            throw PlatformError(.instanceLaunchInvalid, "\(manifest.metadata.name) has no parameter \(unknown) (it has \(declared.map(\.name).joined(separator: ", ")))",
                                details: ["param": unknown])
        }
        var values: [String: String] = [:]
        for param in declared {
            guard let value = given[param.name] ?? param.default?.text else {
                if param.required == true { throw PlatformError(.instanceLaunchInvalid, "parameter \(param.name) is required", details: ["param": param.name]) }
                continue
            }
            switch param.type ?? "string" {
            case "integer" where Int(value) == nil, "number" where Double(value) == nil, "boolean" where !["true", "false"].contains(value):
                throw PlatformError(.instanceLaunchInvalid, "parameter \(param.name) must be \(param.type ?? "string"), not \"\(value)\"",
                                    details: ["param": param.name])
            default:
                values[param.name] = value
            }
        }
        return values
    }

    /// The manifest's artifact in the project's registry, pinned by digest, at or above the
    /// trust state the environment requires; unknown state refuses (fail closed).
    func pinnedImage(_ manifest: LaunchManifest, project: Project, caller: Caller, requiring environmentTrust: TrustState,
                     environment: String) async throws -> LaunchSpec.Image {
        let reference = manifest.artifact.reference
        let (path, tag) = Self.split(reference: reference)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let repository = "\(project.id.lowercased())/\(name)"
        let required = [environmentTrust, manifest.artifact.requiredTrust.flatMap(TrustState.init(rawValue:)) ?? .registered]
            .max { $0.rank < $1.rank } ?? environmentTrust
        guard let digest = try await registry.manifestDigest(repository: repository, reference: tag) else {
            throw PlatformError(.instanceArtifactUntrusted, "\(repository):\(tag) is not in the registry; push and promote it first",
                                details: ["repository": repository, "required": required.rawValue, "state": "absent"])
        }
        let state: TrustState
        do {
            // Evaluated now, against the keys and evidence as they are: a revoked key's
            // signatures no longer count, whatever state was recorded when they did.
            state = try await ledger.status(project: project.id, digest: digest, visibleTo: caller).effectiveState
        } catch let error as PlatformError {
            throw PlatformError(.instanceArtifactUntrusted, "the trust state of \(repository)@\(digest) cannot be read (\(error.code)); refusing",
                                details: ["repository": repository, "required": required.rawValue, "state": "unknown"])
        }
        guard state.satisfies(required) else {
            throw PlatformError(.instanceArtifactUntrusted,
                                "\(repository)@\(digest) is \(state.rawValue); \(environment) requires \(required.rawValue) or above",
                                details: ["repository": repository, "digest": digest.description, "required": required.rawValue, "state": state.rawValue])
        }
        return LaunchSpec.Image(repository: repository, manifestDigest: digest)
    }

    static func split(reference: String) -> (path: String, tag: String) {
        if let at = reference.firstIndex(of: "@") { return (String(reference[..<at]), String(reference[reference.index(after: at)...])) }
        if let colon = reference.lastIndex(of: ":"), !reference[colon...].contains("/") {
            return (String(reference[..<colon]), String(reference[reference.index(after: colon)...]))
        }
        return (reference, "latest")
    }

    /// Checks the project's quotas against its live instances plus the admissions still in
    /// flight, and counts this one in flight — with no `await` between check and count, so
    /// concurrent launches cannot all pass the same last slot.
    func reserveQuota(project: Project, gpus: Int) throws(PlatformError) {
        let live = active.values.filter { $0.projectId == project.id }
        let pending = admitting[project.id] ?? (0, 0)
        let count = live.count + pending.instances
        let gpuTotal = live.reduce(0) { $0 + $1.gpuCount } + pending.gpus
        if let limit = settings.quotas["concurrent_instances"], count + 1 > limit {
            throw PlatformError(.instanceQuotaExceeded, "project \(project.id) already runs \(count) instances; its quota is \(limit)",
                                details: ["quota": "concurrent_instances", "limit": String(limit), "used": String(count)])
        }
        if let limit = settings.quotas["gpus"], gpuTotal + gpus > limit {
            throw PlatformError(.instanceQuotaExceeded, "project \(project.id) holds \(gpuTotal) GPUs; \(gpus) more exceed its quota of \(limit)",
                                details: ["quota": "gpus", "limit": String(limit), "used": String(gpuTotal)])
        }
        admitting[project.id] = (pending.instances + 1, pending.gpus + gpus)
    }

    func releaseQuotaReservation(project: String, gpus: Int) {
        guard let pending = admitting[project] else { return }
        admitting[project] = pending.instances <= 1 ? nil : (pending.instances - 1, pending.gpus - gpus)
    }

    func requireScope(_ scope: String, caller: Caller, what: String) async throws {
        if case .deny(let reason) = try await identity.authorize(caller, scope: scope) {
            throw PlatformError(.iamForbidden, "\(reason); \(what) needs \(scope)", details: ["scope": scope])
        }
    }

    /// A free TCP port per endpoint, never one another live instance holds.
    func allocatePorts(_ endpoints: [LaunchManifest.Endpoint]) throws(PlatformError) -> [String: Int] {
        var ports: [String: Int] = [:]
        for endpoint in endpoints {
            var port = 0
            for _ in 0..<20 {
                let candidate = FreeTCPPort.next()
                if candidate > 0, !portsInUse.contains(candidate) { port = candidate; break }
            }
            guard port > 0 else { throw PlatformError(.runtimePlacementUnsatisfiable, "no free port for endpoint \(endpoint.name)") }
            portsInUse.insert(port)
            ports[endpoint.name] = port
        }
        return ports
    }

    func publishCounts() {
        var counts = Dictionary(uniqueKeysWithValues: InstancePhase.names.map { ($0, 0) })
        for row in active.values { counts[row.phase, default: 0] += 1 }
        onPhaseCounts(counts)
    }
}
