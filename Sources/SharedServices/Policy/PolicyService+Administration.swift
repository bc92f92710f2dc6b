import PlatformContracts

extension PolicyService {
    /// Sets (or, with `value` `nil`, clears) an override, audited as `policy.value.set`.
    /// - Throws: ``ErrorCode/policyKeyUnknown``; ``ErrorCode/policyValueInvalid`` for a value of
    ///   another type, a retired policy, or a level the policy's scope does not allow.
    public func set(_ key: String, _ value: PolicyValue?, at target: PolicyTarget, by actor: PrincipalID, requestID: String?) async throws
        -> PolicySnapshot
    {
        try await write(by: actor, tenant: Self.tenant(of: target)) { snapshot throws(PlatformError) in
            guard let definition = snapshot.definitions[key] else {
                throw PlatformError(.policyKeyUnknown, "no policy \(key) in the policy registry (it has \(snapshot.definitions.keys.sorted().joined(separator: ", ")))",
                                    details: ["key": key])
            }
            if let value {
                guard definition.lifecycle != .retired else {
                    throw PlatformError(.policyValueInvalid, "\(key) is retired: it stays at its default and can no longer be set",
                                        details: ["key": key, "lifecycle": definition.lifecycle.rawValue])
                }
                guard definition.scope.allows(target.level) else {
                    throw PlatformError(.policyValueInvalid,
                                        "\(key) has scope \(definition.scope.rawValue), so it cannot be set per \(target.level.rawValue)\(definition.scope == .platform ? "; choose a plan instead" : "")",
                                        details: ["key": key, "scope": definition.scope.rawValue, "level": target.level.rawValue])
                }
                guard value.type == definition.type else {
                    throw PlatformError(.policyValueInvalid, "\(key) takes a \(definition.type.rawValue), not a \(value.type.rawValue) (\(value))",
                                        details: ["key": key, "type": definition.type.rawValue])
                }
                if case .integer(let number) = value, number < 0 {
                    throw PlatformError(.policyValueInvalid, "\(key) takes a whole number ≥ 0, not \(number)", details: ["key": key])
                }
                if case .integerMap(let map) = value, let negative = map.first(where: { $0.value < 0 }) {
                    throw PlatformError(.policyValueInvalid, "\(key) takes counts ≥ 0, not \(negative.key)=\(negative.value)", details: ["key": key])
                }
            }
            snapshot.overrides.removeAll { $0.key == key && $0.target == target }
            if let value { snapshot.overrides.append(PolicyOverride(target: target, key: key, value: value)) }
            return AuditEvent(actor: actor, action: "policy.value.set", target: target.description, outcome: .success, requestID: requestID,
                              details: ["key": key, "target": target.description, "value": value?.description ?? "",
                                        "cleared": value == nil ? "true" : "false"],
                              project: Self.project(of: target))
        }
    }

    /// Assigns a plan to a tenant, audited as `policy.plan.assign`.
    /// - Throws: ``ErrorCode/policyPlanUnknown``.
    public func assign(plan: String, tenant: String, by actor: PrincipalID, requestID: String?) async throws -> PolicySnapshot {
        try await write(by: actor, tenant: tenant) { snapshot throws(PlatformError) in
            guard snapshot.plans[plan] != nil else {
                throw PlatformError(.policyPlanUnknown, "no plan \(plan) in the policy registry (it has \(snapshot.plans.keys.sorted().joined(separator: ", ")))",
                                    details: ["plan": plan])
            }
            let previous = snapshot.plan(of: tenant)
            snapshot.tenantPlans[tenant] = plan
            return AuditEvent(actor: actor, action: "policy.plan.assign", target: "tenant/\(tenant)", outcome: .success, requestID: requestID,
                              details: ["plan": plan, "previous_plan": previous, "target": "tenant/\(tenant)"])
        }
    }

    /// Defines (or, with no projects, removes) a department, audited as `policy.department.set`;
    /// a project leaves any other department of the tenant. Overrides set on a removed
    /// department stay in the snapshot but match no project.
    /// - Throws: ``ErrorCode/policyValueInvalid`` for an empty name.
    public func setDepartment(_ name: String, tenant: String, projects: [String], by actor: PrincipalID, requestID: String?) async throws
        -> PolicySnapshot
    {
        try await write(by: actor, tenant: tenant) { snapshot throws(PlatformError) in
            guard !name.isEmpty, !name.contains("/") else {
                throw PlatformError(.policyValueInvalid, "a department name is non-empty and has no /, not \"\(name)\"")
            }
            var departments = snapshot.departments[tenant] ?? [:]
            let members = Array(Set(projects)).sorted()
            for (other, list) in departments where other != name {
                let kept = list.filter { !members.contains($0) }
                departments[other] = kept.isEmpty ? nil : kept
            }
            departments[name] = members.isEmpty ? nil : members
            snapshot.departments[tenant] = departments.isEmpty ? nil : departments
            return AuditEvent(actor: actor, action: "policy.department.set", target: "department/\(tenant)/\(name)", outcome: .success,
                              requestID: requestID,
                              details: ["department": name, "projects": members.joined(separator: ","), "target": "department/\(tenant)/\(name)"])
        }
    }

    static func tenant(of target: PolicyTarget) -> String? {
        switch target {
        case .tenant(let id), .department(let id, _): id
        case .project: nil
        }
    }

    static func project(of target: PolicyTarget) -> String? {
        if case .project(let id) = target { return id }
        return nil
    }
}
