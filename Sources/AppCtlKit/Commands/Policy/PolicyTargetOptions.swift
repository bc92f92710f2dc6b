import ArgumentParser
import PlatformAPI
import PlatformContracts

/// `--tenant T | --department T/D | --project P`: where a policy or flag override is set.
public struct PolicyTargetOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: ArgumentHelp("Set it for a whole tenant (id or name).", valueName: "tenant")) var tenant: String?
    @Option(name: .long, help: ArgumentHelp("Set it for a department of a tenant: tenant/department.", valueName: "tenant/department"))
    var department: String?
    @Option(name: .long, help: ArgumentHelp("Set it for one project: tenant/project (names) or its id.", valueName: "project")) var project: String?

    /// Creates the options.
    public init() {}

    /// Exactly one target, each well formed.
    public func validate() throws {
        guard [tenant, department, project].compactMap({ $0 }).count == 1 else {
            throw ValidationError("Pass exactly one of --tenant T, --department T/D or --project P.")
        }
        if let department, Self.split(department) == nil {
            throw ValidationError("--department is tenant/department, not \"\(department)\".")
        }
        if let project { _ = try ProjectOption.checked(project) }
    }

    /// The request body for `value` (`nil` clears).
    func request(_ value: PolicyValue?) throws -> PolicySetRequest {
        if let project { return PolicySetRequest(project: try ProjectOption.checked(project), value: value) }
        if let department, let (tenant, name) = Self.split(department) {
            return PolicySetRequest(tenant: tenant, department: name, value: value)
        }
        return PolicySetRequest(tenant: tenant, value: value)
    }

    /// `tenant/department` split in two non-empty names.
    static func split(_ text: String) -> (String, String)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return (parts[0], parts[1])
    }
}

/// How the policy commands print what a read or write says about its snapshot.
enum PolicyText {
    /// `Policy snapshot 01J… (version 7), 350 ms old` (and `STALE` past the budget).
    static func stamp(_ stamp: PolicySnapshotStamp) -> String {
        "Policy snapshot \(stamp.id) (version \(stamp.version)), \(age(stamp.ageMs)) old" + (stamp.stale ? ", STALE (past the freshness budget)" : "")
    }

    /// `Project 01J… in tenant 01J…, plan plan.standard, department research`.
    static func placement(_ placement: PolicyPlacement) -> String {
        "Project \(placement.project) in tenant \(placement.tenant), plan \(placement.plan)"
            + (placement.department.map { ", department \($0)" } ?? "")
    }

    /// A write's answer.
    static func change(_ change: PolicyChange) -> String {
        "\(change.change); new policy snapshot \(change.snapshot) (version \(change.version))."
    }

    /// `350 ms`, `12.5 s`, `4 min`.
    static func age(_ milliseconds: Int64) -> String {
        if milliseconds < 1000 { return "\(milliseconds) ms" }
        if milliseconds < 120_000 { return "\(milliseconds / 1000).\(milliseconds % 1000 / 100) s" }
        return "\(milliseconds / 60_000) min"
    }

    /// A value as the CLI writes it; an empty list reads `(any)`, an empty map `(no limits)`.
    static func value(_ value: PolicyValue) -> String {
        switch value {
        case .list(let items) where items.isEmpty: "(any)"
        case .integerMap(let map) where map.isEmpty: "(no limits)"
        default: value.description
        }
    }
}
