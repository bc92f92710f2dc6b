import Foundation
import HTTPTypes
import Hummingbird
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `/console/platform/artifacts` (every project's artifacts with trust state, signatures,
/// evidence and provenance) and `/console/platform/artifacts/:project/:repository/:digest`
/// with promote and quarantine forms. Both actions are `POST /v1/…/artifacts/{digest}/promote`,
/// so separation of duties (production needs `release:promote` and a passing release decision;
/// a quarantine is released only by a key of its holder's reach) is the API's, and its
/// refusal is shown on the page with the API's status and code. The repository segment is
/// percent-encoded (`%2F` for its `/`); it names where the digest was pushed, for the reader.
enum OperatorArtifactPages {
    static func register(on pages: ConsolePages) {
        pages.get("platform/artifacts") { page in
            let projects = try await OperatorPageSupport.projects(page)
            var rows: [[String: Any]] = []
            for project in projects {
                let path = ProjectPath(project: project.id)
                for summary in try await page.api.send(Endpoints.listArtifacts, path: path) {
                    let status = try await page.api.send(Endpoints.getArtifact, path: Endpoints.ArtifactItem(project: project.id, summary.digest))
                    rows.append(row(summary, status, project: project))
                }
            }
            return try page.render(.platformArtifacts, title: "Artifacts", ["artifacts": rows, "hasArtifacts": !rows.isEmpty] as [String: Any])
        }
        pages.get("platform/artifacts/:project/:repository/:digest") { page in
            try await detail(page, refusal: nil, status: .ok)
        }
        pages.post("platform/artifacts/:project/:repository/:digest/promote") { page in
            guard let target = page.form.text("to").flatMap(TrustState.init(rawValue:)) else {
                throw PlatformError(.httpBadRequest, "choose a trust state: \(TrustState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return try await move(page, to: target)
        }
        pages.post("platform/artifacts/:project/:repository/:digest/quarantine") { page in
            try await move(page, to: .quarantined)
        }
    }

    /// Asks the API to move the artifact; a refusal is shown on the artifact's page.
    static func move(_ page: ConsoleRequest, to target: TrustState) async throws -> Response {
        try OperatorPageSupport.requirePlatformCaller(page)
        let item = Endpoints.ArtifactItem(project: try page.parameter("project"), try page.parameter("digest"))
        do {
            let status = try await page.api.send(Endpoints.promoteArtifact, path: item, body: PromotionRequest(to: target))
            return page.redirect(to: link(project: item.project, repository: try page.parameter("repository"), digest: status.digest),
                                 notice: "The artifact is now \(status.state.rawValue).")
        } catch {
            guard let refusal = OperatorPageSupport.refusal(error) else { throw error }
            return try await detail(page, refusal: refusal, status: HTTPResponse.Status(code: refusal["status"] as? Int ?? 409))
        }
    }

    static func link(project: String, repository: String, digest: String) -> String {
        "/console/platform/artifacts/\(OperatorPageSupport.segment(project))/\(OperatorPageSupport.segment(repository))/\(OperatorPageSupport.segment(digest))"
    }

    static func row(_ summary: ArtifactSummary, _ status: ArtifactStatus, project: ConsoleProjects.Entry) -> [String: Any] {
        [
            "digest": summary.digest, "shortDigest": OperatorPageSupport.short(summary.digest, 23), "repository": summary.repository,
            "project": project.path, "type": summary.typeId.isEmpty ? "unknown" : summary.typeId,
            "state": status.state.rawValue, "effectiveState": status.effectiveState.rawValue,
            "lowered": status.effectiveState != status.state,
            "signatures": "\(status.signatures.filter(\.valid).count) valid of \(status.signatures.count)",
            "evidence": status.evidence.filter(\.valid).compactMap(\.evidenceType).joined(separator: ", "),
            "sourceSha": status.provenance?.commit ?? "none", "sourceRepository": status.provenance?.repository ?? "",
            "updatedAt": status.updatedAt, "href": link(project: project.id, repository: summary.repository, digest: summary.digest),
        ]
    }

    static func attestation(_ report: AttestationReport) -> [String: Any] {
        [
            "kind": report.kind, "referrer": report.referrer, "shortReferrer": OperatorPageSupport.short(report.referrer, 23),
            "key": report.keyName.map { "\($0) (\(report.keyId ?? ""))" } ?? report.keyId ?? "unknown",
            "keyStatus": report.keyStatus?.rawValue ?? "", "signer": report.signer ?? "",
            "valid": report.valid ? "valid" : "invalid", "reason": report.reason.map { "\($0) (\(report.code?.rawValue ?? ""))" } ?? "",
            "type": report.evidenceType ?? report.predicateType ?? "", "source": report.source.map { "\($0.repository) @ \($0.commit)" } ?? "",
        ]
    }

    static func detail(_ page: ConsoleRequest, refusal: [String: Any]?, status code: HTTPResponse.Status) async throws -> Response {
        try OperatorPageSupport.requirePlatformCaller(page)
        let project = try page.parameter("project"), repository = try page.parameter("repository"), digest = try page.parameter("digest")
        let status = try await page.api.send(Endpoints.getArtifact, path: Endpoints.ArtifactItem(project: project, digest))
        let base = link(project: project, repository: repository, digest: status.digest)
        let model: [String: Any] = [
            "digest": status.digest, "projectId": status.projectId, "repository": repository,
            "repositories": status.repositories.joined(separator: ", "), "tags": status.tags.joined(separator: ", "),
            "type": status.typeId.isEmpty ? "unknown" : status.typeId,
            "state": status.state.rawValue, "effectiveState": status.effectiveState.rawValue, "heldBy": status.heldBy as Any,
            "updatedAt": status.updatedAt,
            "sourceSha": status.provenance?.commit ?? "none recorded", "sourceRepository": status.provenance?.repository ?? "",
            "signatures": status.signatures.map(attestation), "hasSignatures": !status.signatures.isEmpty,
            "evidence": status.evidence.map(attestation), "hasEvidence": !status.evidence.isEmpty,
            "gates": status.gates.map { gate -> [String: Any] in
                ["to": gate.to.rawValue, "decision": gate.satisfied ? "met" : "not met",
                 "missing": gate.missing.map { ["line": $0] }, "hasMissing": !gate.missing.isEmpty]
            },
            "targets": TrustState.allCases.filter { $0 != .quarantined && $0 != status.state }.map { ["value": $0.rawValue] },
            "promoteAction": base + "/promote", "quarantineAction": base + "/quarantine",
            "canAct": page.allows("artifacts:trust:promote"),
            "quarantined": status.state == .quarantined,
            "refusal": refusal as Any,
        ]
        return try page.render(.platformArtifact, title: "Artifact \(OperatorPageSupport.short(status.digest))", model, status: code)
    }
}
