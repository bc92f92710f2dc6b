import PlatformContracts

/// The console's sections, shown by what the caller's grants allow: the end user's projects,
/// the tenant admin's administration and the operator's platform pages. Hiding a link is
/// convenience only; every page's calls are authorised by the API.
public enum ConsoleNavigation {
    /// One labelled group of links.
    public struct Section: Sendable {
        /// The heading.
        public let label: String
        /// The links, in order.
        public let links: [(label: String, href: String)]

        func model(current: String) -> [String: Any] {
            ["label": label, "links": links.map { link in
                ["label": link.label, "href": link.href, "current": current == link.href || (link.href != "/console/" && current.hasPrefix(link.href + "/"))]
            }]
        }
    }

    /// The sections `grants` open for `caller`.
    static func sections(for caller: Caller, grants: Grants) -> [Section] {
        func allows(_ scope: String) -> Bool { if case .allow = grants.decision(for: scope) { true } else { false } }
        var sections = [Section(label: "Apps", links: [
            ("Home", "/console/"),
            ("Catalog", "/console/catalog"),
            ("Instances", "/console/instances"),
            ("Usage and cost", "/console/usage"),
        ])]
        var admin: [(String, String)] = []
        if allows("iam:project:read") { admin.append(("Projects", "/console/admin/projects")) }
        if allows("iam:key:read") { admin.append(("Service accounts and keys", "/console/admin/keys")) }
        if allows("policy:read") || allows("billing:read") { admin.append(("Quotas and budgets", "/console/admin/quotas")) }
        if allows("audit:log:read") { admin.append(("Audit", "/console/admin/audit")) }
        if !admin.isEmpty { sections.append(Section(label: "Administration", links: admin)) }
        if caller.tenantId == nil, allows("status:read") {
            var platform: [(String, String)] = [
                ("Status and incidents", "/console/platform/status"),
                ("Maintenance", "/console/platform/maintenance"),
                ("Releases", "/console/platform/releases"),
                ("Artifacts", "/console/platform/artifacts"),
                ("All instances", "/console/platform/instances"),
            ]
            if allows("notifications:deadletter:manage") { platform.append(("Notifications", "/console/platform/dead-letters")) }
            if allows("billing:ledger:verify") { platform.append(("Ledger", "/console/platform/ledger")) }
            sections.append(Section(label: "Platform", links: platform))
        }
        return sections
    }
}
