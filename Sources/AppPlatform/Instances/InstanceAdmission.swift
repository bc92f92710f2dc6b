import ArtifactRegistry
import ManifestKit
import PlatformContracts
import PlatformStore
import RuntimeKit

/// Admission: a launch request and the app's registered manifest become an accepted
/// instance row and a placement plan, or a refusal with its own code, audited as
/// `apps.instance.refuse`. Nothing starts here; the supervisor begins what this accepts.
///
/// The route has already checked `apps:instance:launch` and resolved the project; the
/// manifest's own `access.launchScopes` are checked here. Every decision uses one policy
/// snapshot (``PolicyEvaluator/snapshot(for:)`` as a capacity write: a stale one refuses),
/// whose id the row and the audit record keep. The quotas are counted from the durable rows
/// inside the transaction that inserts the new one (``InstanceRepository/admit(_:message:audit:check:)``),
/// so concurrent launches, restarts and other replicas cannot overrun them.
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
    let policy: any PolicyEvaluator
    /// Recorded usage: this month's GPU-seconds for `quota.gpu_hours_per_month`.
    let usage: any UsageRecorder
    /// Budgets: a project whose (or whose tenant's) budget is exhausted launches nothing.
    let spend: any SpendGuard
    let clock: any PlatformClock
    /// Maintenance windows: a launch during one over `module:apps` or its adapter is refused
    /// or warned (``InstanceAdmission/checkMaintenance(_:project:snapshot:)``); `nil`: none.
    var maintenance: (any MaintenanceCalendar)? = nil
    /// Persistent volumes: a manifest volume with `persistent: true` resolves to the project's
    /// volume of that name (``VolumeService/resolve(_:project:adapter:caller:requestID:instance:)``); `nil`: none.
    var volumes: VolumeService? = nil
    /// Secret custody: every `secret://` reference must name the launching project and an
    /// existing secret (``InstanceSecrets/check(_:project:custody:)``); `nil` refuses any.
    var secrets: (any SecretCustody)? = nil

    /// Admits and accepts a launch: the row and its `accepted` event are written; the caller
    /// hands the plan to the supervisor. Refusals: ``ErrorCode/appNotFound``,
    /// ``ErrorCode/manifestInvalid``, ``ErrorCode/iamForbidden`` (the manifest's launch scopes),
    /// ``ErrorCode/instanceLaunchInvalid``, ``ErrorCode/instanceArtifactUntrusted`` (fail
    /// closed), ``ErrorCode/instanceQuotaExceeded``, ``ErrorCode/runtimePlacementUnsatisfiable``,
    /// ``ErrorCode/policyStale``, ``ErrorCode/policyFeatureDisabled`` (a GPU model or the
    /// Slurm adapter the project may not use), ``ErrorCode/billingBudgetExhausted``.
    func admit(in project: Project, _ request: LaunchRequest, by caller: Caller, grants: Grants? = nil,
               requestID: String?) async throws -> (row: InstanceRow, plan: PlacementPlan) {
        var snapshot: PolicySnapshot?
        do {
            let decided = try await policy.snapshot(for: .capacity)
            snapshot = decided
            return try await accept(in: project, request, caller: caller, grants: grants, snapshot: decided, requestID: requestID)
        } catch let error as PlatformError where error.code != .storeUnavailable {
            var details = ["code": error.code.rawValue, "message": String(error.message.prefix(300))]
            if let snapshot { details["policy_snapshot"] = snapshot.id }
            if let quota = error.details["quota"] { details["quota"] = quota }
            if let budget = error.details["budget"] { details["budget"] = budget }
            if let window = error.details["window"] { details["maintenance_window"] = window }
            await repository.auditRefusal(
                AuditEvent(actor: PrincipalID(caller.principalId), action: "apps.instance.refuse",
                           target: "app/\(project.id)/\(request.app)@\(request.version ?? "latest")", outcome: .denied,
                           requestID: requestID, details: details, project: project.id),
                tenant: project.tenantId)
            throw error
        }
    }

    private func accept(in project: Project, _ request: LaunchRequest, caller: Caller, grants: Grants?, snapshot: PolicySnapshot,
                        requestID: String?) async throws -> (row: InstanceRow, plan: PlacementPlan) {
        try request.validateText()  // TextPolicy: identifiers hold no control characters
        try await checkBudgets(project: project, snapshot: snapshot)
        // A window over every launch is decided before the manifest is read; one over an adapter once it is chosen.
        let appsMaintenance = try await checkMaintenance(["module:apps"], project: project, snapshot: snapshot)
        let (manifest, mode, fromCatalog) = try await manifest(in: project, request)
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
        let (adapterName, adapter) = try self.adapter(for: manifest, request: request, project: project, snapshot: snapshot)
        let maintenanceWarning = try await checkMaintenance(["adapter:\(adapterName)"], project: project, snapshot: snapshot)
            ?? appsMaintenance
        let limits = AdmissionLimits(snapshot, project: project)
        var gpu = try Self.gpuRequest(manifest, override: request.gpus)
        gpu = try limits.permitted(gpu, declared: manifest.resources?.gpu?.models ?? [], explicit: request.gpus?.contains(":") == true)
        if limits.gpuHoursPerMonth != nil, gpu.count > 0 {
            let used = try await usage.total(project: project.id, unit: AdmissionPolicy.gpuSecondUnit, since: clock.now().monthStart)
            try limits.checkGPUHours(usedSeconds: used, requesting: gpu.count, project: project.id)
        }
        // A request over a quota on its own is refused before placement, so it reads as the
        // quota it exceeds, not as a placement no node can give; the authoritative count of
        // what the project already holds is in the insert's transaction below.
        try limits.check(adding: gpu, to: ProjectHoldings(), project: project.id)

        let id = ULID().description
        let ports = try await allocatePorts((manifest.endpoints ?? []).map(\.name))
        do {
            let values = try Self.parameterValues(manifest, request.params ?? [:])
            let image = if let fromCatalog {
                try await catalogImage(fromCatalog, manifest, requiring: environmentTrust, environment: environment)
            } else {
                try await pinnedImage(manifest, project: project, requiring: environmentTrust, environment: environment)
            }
            var spec = try LaunchSpecBuilder.build(id: id, project: project.id, manifest: manifest, mode: mode, image: image, params: values,
                                                   ports: ports, gpus: gpu, adapter: adapterName,
                                                   sshUserCA: settings.sshUserCA)
            // Persistent volumes mount the project volume of their name (provisioned now when absent).
            if let volumes, !spec.volumes.isEmpty {
                spec.volumes = try await volumes.resolve(spec.volumes, project: project, adapter: adapterName, caller: caller,
                                                         requestID: requestID, instance: id)
            }
            try await InstanceSecrets.check(spec.secrets, project: project, custody: secrets)
            try adapter.validate(spec)
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
                gpuCount: gpu.count, endpoints: ports, launchedBy: caller.principalId, now: clock.now().rfc3339)
            row.message = "admitted into \(environment); \(plan.summary)" + (maintenanceWarning.map { "; warning: \($0.text)" } ?? "")
                + (fromCatalog.map { "; from the platform catalog (\($0.app) \($0.version))" } ?? "")
            row.policySnapshot = snapshot.id
            row.launchRequestID = requestID
            row.lease = InstanceLease(holder: settings.replica, fence: 1)
            row.leaseExpiresMs = clock.nowMilliseconds() + settings.leaseDuration.wholeMilliseconds
            InstanceLifecycle.apply(manifest, ports: ports, snapshot: snapshot, project: project, to: &row)
            row.metering = InstanceMetering.resolve(usageUnit: manifest.billing?.usageUnit,
                                                    gpuModel: plan.devices.first?.modelId ?? gpu.model, units: settings.usageUnits)
            let (wanted, thresholds) = (gpu, QuotaThresholds(clock: clock))
            try await repository.admit(
                row, message: row.message,
                audit: AuditEvent(actor: PrincipalID(caller.principalId), action: "apps.instance.launch", target: "instance/\(id)",
                                  outcome: .success, requestID: requestID,
                                  details: ["app": "\(row.app)@\(row.version)", "adapter": adapterName, "environment": environment,
                                            "image": row.image, "gpus": String(row.gpuCount), "policy_snapshot": snapshot.id]
                                      .merging(maintenanceWarning?.details ?? [:]) { first, _ in first }
                                      .merging(fromCatalog.map(Self.catalogDetails) ?? [:]) { first, _ in first },
                                  project: project.id)
            ) { held, db in
                try limits.check(adding: wanted, to: held, project: project.id)
                try await thresholds.notify(limits.crossings(adding: wanted, to: held), limits: limits, project: project,
                                            recipient: caller.principalId, in: db)
            }
            live.put(row)
            return (row, plan)
        } catch {
            live.freePorts(ports.values)
            throw error
        }
    }

    /// A free port per endpoint that neither this replica nor a live instance of any replica
    /// holds (`apps_instance_ports`; the admission's insert is the final word).
    private func allocatePorts(_ endpoints: [String]) async throws -> [String: Int] {
        guard !endpoints.isEmpty else { return [:] }
        var elsewhere: Set<Int> = []
        for _ in 0..<5 {
            let ports = try live.allocatePorts(endpoints) {
                let candidate = FreeTCPPort.next()
                return elsewhere.contains(candidate) ? 0 : candidate
            }
            let taken: Set<Int>
            do { taken = try await repository.portsTaken(ports.values) } catch {
                live.freePorts(ports.values)
                throw error
            }
            if taken.isEmpty { return ports }
            live.freePorts(ports.values)
            elsewhere.formUnion(taken)
        }
        throw PlatformError(.runtimePlacementUnsatisfiable, "no free port for endpoints \(endpoints.joined(separator: ", "))")
    }

    /// The requested (or latest) registered version's manifest, re-validated with today's
    /// registries. A project with no app of that name gets the platform catalog's
    /// (``AppCatalog/launchable(app:version:)``), returned as the third element.
    private func manifest(in project: Project, _ request: LaunchRequest) async throws -> (LaunchManifest, InstanceMode, CatalogEntry?) {
        let own = try await catalog.versions(in: project, name: request.app, orEmpty: true)
        let fromCatalog = own.isEmpty ? try await catalog.launchable(app: request.app, version: request.version) : nil
        let versions = if let fromCatalog { [fromCatalog.manifest] } else if own.isEmpty {
            try await catalog.versions(in: project, name: request.app)
        } else { own }
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
        return (manifest, mode, fromCatalog?.entry)
    }

    /// The adapter the request names, else the manifest's first this server has. The Slurm
    /// adapter also needs the project's `runtime.slurm` flag (``ErrorCode/policyFeatureDisabled``).
    private func adapter(for manifest: LaunchManifest, request: LaunchRequest, project: Project,
                         snapshot: PolicySnapshot) throws(PlatformError) -> (String, any RuntimeAdapter) {
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
        if adapterName == "slurm" {
            try snapshot.require(flag: AdmissionPolicy.slurmFlag, project: project.id, tenant: project.tenantId, for: "launching on the Slurm adapter")
        }
        return (adapterName, adapter)
    }
}
