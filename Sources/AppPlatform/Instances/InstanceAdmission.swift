import ArtifactRegistry
import ManifestKit
import PlatformContracts
import RuntimeKit

/// Admission: a launch request and the app's registered manifest become an accepted
/// instance row and a placement plan, or a refusal with its own code, audited as
/// `apps.instance.refuse`. Nothing starts here; the supervisor begins what this accepts.
///
/// The route has already checked `apps:instance:launch` and resolved the project; the
/// manifest's own `access.launchScopes` are checked here. The quota check and its
/// reservation are one step in ``LiveInstances``, so concurrent launches cannot overrun it.
struct InstanceAdmission: Sendable {
    let authorizer: any Authorizer
    let catalog: AppCatalog
    let validator: ManifestValidator
    let registry: OCIRegistry
    let ledger: TrustLedger
    let adapters: [String: any RuntimeAdapter]
    let settings: InstanceService.Settings
    let live: LiveInstances
    let repository: InstanceRepository
    let clock: any PlatformClock

    /// Admits and accepts a launch: the row and its `accepted` event are written; the caller
    /// hands the plan to the supervisor. Refusals: ``ErrorCode/appNotFound``,
    /// ``ErrorCode/manifestInvalid``, ``ErrorCode/iamForbidden`` (the manifest's launch scopes),
    /// ``ErrorCode/instanceLaunchInvalid``, ``ErrorCode/instanceArtifactUntrusted`` (fail
    /// closed), ``ErrorCode/instanceQuotaExceeded``, ``ErrorCode/runtimePlacementUnsatisfiable``.
    func admit(in project: Project, _ request: LaunchRequest, by caller: Caller, grants: Grants? = nil,
               requestID: String?) async throws -> (row: InstanceRow, plan: PlacementPlan) {
        do {
            return try await accept(in: project, request, caller: caller, grants: grants, requestID: requestID)
        } catch let error as PlatformError where error.code != .storeUnavailable {
            await repository.auditRefusal(
                AuditEvent(actor: PrincipalID(caller.principalId), action: "apps.instance.refuse",
                           target: "app/\(project.id)/\(request.app)@\(request.version ?? "latest")", outcome: .denied,
                           requestID: requestID, details: ["code": error.code.rawValue, "message": String(error.message.prefix(300))],
                           project: project.id),
                tenant: project.tenantId)
            throw error
        }
    }

    private func accept(in project: Project, _ request: LaunchRequest, caller: Caller, grants: Grants?,
                        requestID: String?) async throws -> (row: InstanceRow, plan: PlacementPlan) {
        try request.validateText()  // TextPolicy: identifiers hold no control characters
        let (manifest, mode) = try await manifest(in: project, request)
        // The manifest's launch scopes, decided from the request's grants (no second IAM read).
        let launchScopes = manifest.access?.launchScopes ?? []
        let decided = if let grants { grants } else { launchScopes.isEmpty ? nil : try await authorizer.authorize(caller) }
        if let denied = decided?.firstDenied(launchScopes) {
            throw PlatformError(.iamForbidden, "\(denied.reason); the manifest of \(request.app) says launching needs \(denied.scope)",
                                details: ["scope": denied.scope])
        }
        let environment = request.environment ?? settings.defaultEnvironment
        guard let environmentTrust = settings.environments[environment] else {
            throw PlatformError(.instanceLaunchInvalid, "unknown environment \(environment); this server knows \(settings.environments.keys.sorted().joined(separator: ", "))")
        }
        let (adapterName, adapter) = try self.adapter(for: manifest, request: request)

        let id = ULID().description
        let gpu = try Self.gpuRequest(manifest, override: request.gpus)
        let ports = try live.allocatePorts((manifest.endpoints ?? []).map(\.name))
        do {
            let values = try Self.parameterValues(manifest, request.params ?? [:])
            let image = try await pinnedImage(manifest, project: project, requiring: environmentTrust, environment: environment)
            let spec = try LaunchSpecBuilder.build(id: id, project: project.id, manifest: manifest, mode: mode, image: image, params: values,
                                                   ports: ports, gpus: gpu.request, sharing: gpu.shared, adapter: adapterName,
                                                   sshUserCA: settings.sshUserCA)
            try adapter.validate(spec)
            try live.reserve(project: project.id, gpus: gpu.request.count, quotas: settings.quotas)
            var reserved = true
            defer { if reserved { live.releaseReservation(project: project.id, gpus: gpu.request.count) } }
            let plan = try await adapter.plan(spec)
            let readiness = manifest.health?.readiness.flatMap { probe -> ReadinessProbe? in
                guard let endpoint = probe.endpoint, let port = ports[endpoint] else { return nil }
                return ReadinessProbe(endpoint: endpoint, port: port, path: probe.path ?? "/",
                                      withinMinutes: manifest.evidence?.readyWithinMinutes ?? settings.defaultReadyWithinMinutes)
            }
            var row = InstanceRow(
                id: id, projectId: project.id, tenantId: project.tenantId, app: manifest.metadata.name, version: manifest.metadata.version,
                adapter: adapterName, environment: environment, mode: mode,
                image: "\(image.repository)@\(image.manifestDigest)", spec: spec, readiness: mode == .job ? nil : readiness,
                gpuCount: gpu.request.count, endpoints: ports, launchedBy: caller.principalId, now: clock.now().rfc3339)
            row.message = "admitted into \(environment); \(plan.summary)"
            try await repository.appendEvent(
                row, message: row.message, at: row.createdAt,
                audit: AuditEvent(actor: PrincipalID(caller.principalId), action: "apps.instance.launch", target: "instance/\(id)",
                                  outcome: .success, requestID: requestID,
                                  details: ["app": "\(row.app)@\(row.version)", "adapter": adapterName, "environment": environment,
                                            "image": row.image, "gpus": String(row.gpuCount)],
                                  project: project.id),
                creating: true)
            live.adopt(row, reservedGPUs: gpu.request.count)
            reserved = false
            return (row, plan)
        } catch {
            live.freePorts(ports.values)
            throw error
        }
    }

    /// The requested (or latest) registered version's manifest, re-validated with today's registries.
    private func manifest(in project: Project, _ request: LaunchRequest) async throws -> (LaunchManifest, InstanceMode) {
        let versions = try await catalog.versions(in: project, name: request.app)
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
        guard let mode = InstanceMode(rawValue: manifest.mode) else {
            throw PlatformError(.instanceLaunchInvalid, "mode \(manifest.mode) cannot be launched")
        }
        return (manifest, mode)
    }

    /// The adapter the request names, else the manifest's first this server has.
    private func adapter(for manifest: LaunchManifest, request: LaunchRequest) throws(PlatformError) -> (String, any RuntimeAdapter) {
        let names = adapters.keys.sorted()
        let listed = manifest.runtime?.adapters ?? names
        let adapterName = request.adapter ?? listed.first { adapters[$0] != nil } ?? listed.first ?? "local"
        guard listed.contains(adapterName) else {
            throw PlatformError(.instanceLaunchInvalid, "\(request.app) does not run on the \(adapterName) adapter (manifest lists \(listed.joined(separator: ", ")))")
        }
        guard let adapter = adapters[adapterName] else {
            throw PlatformError(.instanceLaunchInvalid, "the \(adapterName) adapter is not configured on this server (it has \(names.joined(separator: ", ")))",
                                details: ["adapter": adapterName])
        }
        return (adapterName, adapter)
    }
}
