import Foundation
import PlatformAPI
import PlatformContracts

/// Handlers of the policy endpoints. Reads answer from the replica's snapshot whatever its
/// age (stamped with it); writes go through ``PolicyAdministration``, which audits each
/// change with its new snapshot id. A tenant, department or project a write names is an IAM
/// reference resolved within the caller's reach, so a change can only target what the
/// caller could see (out of reach: 404 ``ErrorCode/iamNotFound``, as IAM answers).
extension V1Routes {
    func listProjectPolicies(_ input: OfProject<NoBody>, _ context: PlatformRequestContext,
                             _ caller: Caller) async throws -> Reply<ProjectPolicies> {
        let project = try context.requireProject()
        let read = await policy.read()
        let policies = read.snapshot.resolveAll(project: project.id, tenant: project.tenantId).map(ProjectPolicyValue.init)
        return .value(ProjectPolicies(placement: Self.placement(of: project, in: read.snapshot), snapshot: PolicySnapshotStamp(read),
                                      policies: policies))
    }

    func explainPolicy(_ input: OfItem<ProjectItems.Policy, NoBody>, _ context: PlatformRequestContext,
                       _ caller: Caller) async throws -> Reply<PolicyExplanation> {
        let project = try context.requireProject()
        let read = await policy.read()
        let resolved = try read.snapshot.resolve(input.path.item, project: project.id, tenant: project.tenantId)
        return .value(PolicyExplanation(
            placement: Self.placement(of: project, in: read.snapshot), snapshot: PolicySnapshotStamp(read), definition: resolved.definition,
            chain: resolved.chain, winner: resolved.source))
    }

    func listProjectFlags(_ input: OfProject<NoBody>, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<ProjectFlags> {
        let project = try context.requireProject()
        let read = await policy.read()
        return .value(ProjectFlags(placement: Self.placement(of: project, in: read.snapshot), snapshot: PolicySnapshotStamp(read),
                                   flags: read.snapshot.evaluateFlags(project: project.id, tenant: project.tenantId)))
    }

    func listPlans(_ input: Bare, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<PolicyPlans> {
        let read = await policy.read()
        let snapshot = read.snapshot
        return .value(PolicyPlans(
            defaultPlan: snapshot.defaultPlan, plans: snapshot.plans.values.sorted { $0.planId < $1.planId },
            definitions: snapshot.definitions.values.sorted { $0.policyKey < $1.policyKey }, snapshot: PolicySnapshotStamp(read)))
    }

    func setPolicy(_ input: EndpointInput<PolicyKeyPath, NoQuery, PolicySetRequest>, _ context: PlatformRequestContext,
                   _ caller: Caller) async throws -> Reply<PolicyChange> {
        .value(try await applyOverride(input.path.policy, input.body, context, caller))
    }

    /// A flag is a policy of type `flag`: any other key is unknown here, as it is to
    /// ``PolicySnapshot/evaluateFlag(_:project:tenant:)``.
    func setFlag(_ input: EndpointInput<FlagPath, NoQuery, PolicySetRequest>, _ context: PlatformRequestContext,
                 _ caller: Caller) async throws -> Reply<PolicyChange> {
        let key = input.path.flag
        let definitions = await policy.read().snapshot.definitions
        guard let definition = definitions[key], definition.type == .flag else {
            let flags = definitions.values.filter { $0.type == .flag }.map(\.policyKey).sorted()
            throw PlatformError(.policyKeyUnknown, "no flag \(key) in the policy registry (its flags: \(flags.joined(separator: ", ")))",
                                details: ["key": key])
        }
        if let value = input.body.value, value.type != .flag {
            throw PlatformError(.policyValueInvalid, "\(key) is a flag: its value is true or false, not \(value)", details: ["key": key])
        }
        return .value(try await applyOverride(key, input.body, context, caller))
    }

    func assignPlan(_ input: EndpointInput<TenantPath, NoQuery, PlanAssignment>, _ context: PlatformRequestContext,
                    _ caller: Caller) async throws -> Reply<PolicyChange> {
        let tenant = try await tenantWide(input.path.tenant, caller)
        let snapshot = try await policy.assign(plan: input.body.plan, tenant: tenant.id, by: PrincipalID(caller.principalId),
                                               requestID: context.requestID)
        return .value(PolicyChange(snapshot: snapshot.id, version: snapshot.version, change: "tenant/\(tenant.id) plan = \(input.body.plan)"))
    }

    func setDepartment(_ input: EndpointInput<TenantDepartmentPath, NoQuery, DepartmentRequest>, _ context: PlatformRequestContext,
                       _ caller: Caller) async throws -> Reply<PolicyChange> {
        let name = input.path.department
        guard Self.isDepartmentName(name) else {
            throw PlatformError(.policyValueInvalid, "a department name is lowercase letters, digits and '-' (at most 63), not \(name)",
                                details: ["department": name])
        }
        let tenant = try await tenantWide(input.path.tenant, caller)
        var projects: [String] = []
        for reference in input.body.projects {
            let project = try await identity.project(reference, visibleTo: caller)
            guard project.tenantId == tenant.id else {
                throw PlatformError(.policyValueInvalid, "project \(reference) is not in tenant \(tenant.name); a department groups projects of its own tenant",
                                    details: ["project": reference])
            }
            if !projects.contains(project.id) { projects.append(project.id) }
        }
        let snapshot = try await policy.setDepartment(name, tenant: tenant.id, projects: projects, by: PrincipalID(caller.principalId),
                                                      requestID: context.requestID)
        let change = projects.isEmpty ? "department/\(tenant.id)/\(name) removed"
            : "department/\(tenant.id)/\(name) = \(projects.joined(separator: ","))"
        return .value(PolicyChange(snapshot: snapshot.id, version: snapshot.version, change: change))
    }

    /// Resolves the body's target within the caller's reach and sets or clears the override.
    private func applyOverride(_ key: String, _ body: PolicySetRequest, _ context: PlatformRequestContext,
                               _ caller: Caller) async throws -> PolicyChange {
        let target = try await policyTarget(body, caller)
        let snapshot = try await policy.set(key, body.value, at: target, by: PrincipalID(caller.principalId), requestID: context.requestID)
        let change = body.value.map { "\(key) = \($0) at \(target)" } ?? "\(key) cleared at \(target)"
        return PolicyChange(snapshot: snapshot.id, version: snapshot.version, change: change)
    }

    /// Exactly one target: a project; a department of a tenant; a tenant.
    private func policyTarget(_ body: PolicySetRequest, _ caller: Caller) async throws -> PolicyTarget {
        switch (body.tenant, body.department, body.project) {
        case (nil, nil, let project?):
            return .project(try await identity.project(project, visibleTo: caller).id)
        case (let tenant?, let department?, nil):
            guard Self.isDepartmentName(department) else {
                throw PlatformError(.policyValueInvalid, "a department name is lowercase letters, digits and '-', not \(department)")
            }
            return .department(tenant: try await tenantWide(tenant, caller).id, name: department)
        case (let tenant?, nil, nil):
            return .tenant(try await tenantWide(tenant, caller).id)
        default:
            throw PlatformError(.httpBadRequest, "name one target: project, tenant with department, or tenant alone")
        }
    }

    /// A tenant (id or name) within the caller's reach, as IAM resolves one for a tenant-wide
    /// change: a project-bound key reaches no tenant-wide setting, so it is 404 like any
    /// tenant out of reach.
    private func tenantWide(_ reference: String, _ caller: Caller) async throws -> Tenant {
        let id = ULID.canonical(reference)?.description
        guard caller.projectId == nil,
              let tenant = try await identity.tenants(visibleTo: caller).first(where: { $0.id == id || $0.name == reference }) else {
            throw PlatformError(.iamNotFound, "no tenant \(reference)")
        }
        return tenant
    }

    static func placement(of project: Project, in snapshot: PolicySnapshot) -> PolicyPlacement {
        PolicyPlacement(project: project.id, tenant: project.tenantId, plan: snapshot.plan(of: project.tenantId),
                        department: snapshot.department(of: project.id, tenant: project.tenantId))
    }

    static func isDepartmentName(_ name: String) -> Bool {
        name.range(of: "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", options: .regularExpression) != nil
    }
}
