import Foundation
import HTTPTypes
import Hummingbird
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `/console/platform/releases` (readiness per environment from the operator status view,
/// and every project's releases) and `/console/platform/releases/:project/:release` (the six
/// gates evaluated now: each gate's decision and the evidence it misses). Promotion goes
/// through `POST /v1/…/promote`, so the API's refusal (409 listing the misses, 403 without
/// `release:promote`) is what the operator sees.
enum OperatorReleasePages {
    static func register(on pages: ConsolePages) {
        pages.get("platform/releases") { page in
            let projects = try await OperatorPageSupport.projects(page)
            let status = try await page.api.send(Endpoints.getStatus)
            var rows: [[String: Any]] = []
            for project in projects {
                for release in try await page.api.send(Endpoints.listReleases, path: ProjectPath(project: project.id)) {
                    rows.append(releaseRow(release, project: project))
                }
            }
            let names = Dictionary(projects.map { ($0.id, $0.path) }, uniquingKeysWith: { first, _ in first })
            return try page.render(.platformReleases, title: "Releases", [
                "environments": status.readiness.map { environment -> [String: Any] in
                    ["environment": environment.environment, "hasReleases": !environment.releases.isEmpty,
                     "releases": environment.releases.map { readiness -> [String: Any] in
                         ["id": readiness.releaseId, "projectId": readiness.projectId, "project": names[readiness.projectId] ?? readiness.projectId,
                          "state": readiness.state.rawValue, "sourceSha": readiness.sourceSha, "shortSha": OperatorPageSupport.short(readiness.sourceSha, 12),
                          "result": readiness.verificationResult ?? "not decided", "decidedAt": readiness.decidedAt as Any,
                          "failing": readiness.failingGates.map(\.rawValue).joined(separator: ", ")]
                     }]
                },
                "hasEnvironments": !status.readiness.isEmpty,
                "releases": rows,
                "hasReleases": !rows.isEmpty,
            ] as [String: Any])
        }
        pages.get("platform/releases/:project/:release") { page in
            try await detail(page, refusal: nil)
        }
        pages.post("platform/releases/:project/:release/promote") { page in
            let item = Endpoints.ReleaseItem(project: try page.parameter("project"), try page.parameter("release"))
            do {
                let release = try await page.api.send(Endpoints.promoteRelease, path: item)
                return page.redirect(to: "/console/platform/releases/\(item.project)/\(release.id)",
                                     notice: "Promoted release \(release.id) to \(release.environment).")
            } catch {
                guard let refusal = OperatorPageSupport.refusal(error) else { throw error }
                return try await detail(page, refusal: refusal)
            }
        }
    }

    static func releaseRow(_ release: Release, project: ConsoleProjects.Entry) -> [String: Any] {
        [
            "id": release.id, "projectId": project.id, "project": project.path, "environment": release.environment,
            "state": release.state.rawValue, "sourceSha": release.sourceSha, "shortSha": OperatorPageSupport.short(release.sourceSha, 12),
            "branch": release.branch, "createdBy": release.createdBy, "createdAt": release.createdAt,
            "approvals": release.approvals.count,
            "result": release.decision?.verificationResult ?? "not decided",
            "failing": release.decision?.gates.filter { !$0.passed }.map(\.gate.rawValue).joined(separator: ", ") ?? "",
        ]
    }

    /// The release page; `refusal` is a promotion the API just refused, shown with its status.
    static func detail(_ page: ConsoleRequest, refusal: [String: Any]?) async throws -> Response {
        try OperatorPageSupport.requirePlatformCaller(page)
        let item = Endpoints.ReleaseItem(project: try page.parameter("project"), try page.parameter("release"))
        async let releaseValue = page.api.send(Endpoints.getRelease, path: item)
        async let gatesValue = page.api.send(Endpoints.getReleaseGates, path: item)
        let release = try await releaseValue, gates = try await gatesValue
        let model: [String: Any] = [
            "id": release.id, "projectId": item.project, "environment": release.environment, "state": release.state.rawValue,
            "sourceSha": release.sourceSha, "branch": release.branch, "createdBy": release.createdBy, "createdAt": release.createdAt,
            "artifacts": release.artifacts.map { ["digest": $0] },
            "result": gates.verificationResult, "passed": gates.passed,
            "policySnapshot": gates.policySnapshot, "evaluatedAt": gates.decidedAt,
            "requiredFields": gates.requiredFields.map(\.rawValue).joined(separator: ", "),
            "gates": gates.gates.map { gate -> [String: Any] in
                ["gate": gate.gate.rawValue, "decision": gate.passed ? "pass" : "fail", "passed": gate.passed,
                 "missing": gate.missing.map { ["line": $0] }, "hasMissing": !gate.missing.isEmpty, "inputs": gate.inputs.count]
            },
            "recorded": release.decision.map { decision -> [String: Any] in
                ["result": decision.verificationResult, "decidedAt": decision.decidedAt, "decidedBy": decision.decidedBy,
                 "failing": Optional(decision.gates.filter { !$0.passed }.map(\.gate.rawValue).joined(separator: ", ")).flatMap { $0.isEmpty ? nil : $0 } as Any]
            } as Any,
            "evidence": release.evidence.map { evidence -> [String: Any] in
                ["type": evidence.type, "signer": evidence.signer, "keyId": evidence.keyId, "attachedBy": evidence.attachedBy,
                 "attachedAt": evidence.attachedAt, "platformMade": evidence.platformMade ? "yes" : "no",
                 "envelope": evidence.envelope, "shortEnvelope": OperatorPageSupport.short(evidence.envelope)]
            },
            "hasEvidence": !release.evidence.isEmpty,
            "approvals": release.approvals.map { ["approver": $0.approver, "role": $0.role.rawValue, "comment": $0.comment, "at": $0.approvedAt] },
            "hasApprovals": !release.approvals.isEmpty,
            "canPromote": release.state == .candidate && page.allows("release:promote"),
            "refusal": refusal as Any,
        ]
        let status = (refusal?["status"] as? Int).map { HTTPResponse.Status(code: $0) } ?? .ok
        return try page.render(.platformRelease, title: "Release \(release.id)", model, status: status)
    }
}
