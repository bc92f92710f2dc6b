import Foundation
import PlatformContracts
import PlatformStore
import SQLKit

extension ReleaseService {
    /// The scope a security-owner approval needs beyond `release:approve`.
    static let securityApprovalScope = "release:approve:security"

    public func approve(_ request: ReleaseApprovalRequest, release id: String, in project: Project, by caller: Caller,
                        requestID: String?) async throws -> Release {
        let release = try await candidate(id, in: project)
        do {
            try await checkApprover(request, release: release, caller: caller)
        } catch let error as PlatformError {
            try await store.transaction { db in
                try await audit.append(
                    AuditEvent(actor: PrincipalID(caller.principalId), action: "release.approve.refuse", target: Self.target(release),
                               outcome: .denied, requestID: requestID,
                               details: ["role": request.role.rawValue, "code": error.code.rawValue, "reason": error.message],
                               project: release.projectId),
                    tenant: release.tenantId, in: db)
            }
            throw error
        }
        let approvedAt = Timestamp.now().rfc3339
        let predicate = try ReleaseStatements.json([
            "release": release.id, "approver": caller.principalId, "role": request.role.rawValue, "comment": request.comment,
            "approvedAt": approvedAt,
        ])
        let evidence = try await platformStatement(type: "approval", predicate: predicate, release: release, attachedBy: caller.principalId)
        let approval = ReleaseApproval(approver: caller.principalId, role: request.role, comment: request.comment, approvedAt: approvedAt,
                                       envelope: evidence.envelope)
        try await store.transaction { db in
            try await record(evidence, release: release, in: db)
            try await ReleaseRows.insert(approval, release: release.id, in: db)
            try await audit.append(
                AuditEvent(actor: PrincipalID(caller.principalId), action: "release.approve", target: Self.target(release), outcome: .success,
                           requestID: requestID, details: ["role": request.role.rawValue, "envelope": evidence.envelope],
                           project: release.projectId),
                tenant: release.tenantId, in: db)
        }
        return try await self.release(release.id, in: project)
    }

    /// Separation of duties and the role's scope.
    /// - Throws: `release.invalid` (no comment, already approved in that role),
    ///   `release.self_approval`, `iam.forbidden` (security owner without its scope).
    func checkApprover(_ request: ReleaseApprovalRequest, release: Release, caller: Caller) async throws {
        guard !request.comment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw PlatformError(.releaseInvalid, "an approval needs a comment saying what was reviewed", details: ["field": "comment"])
        }
        if let reason = Self.conflict(of: caller.principalId, in: release) {
            throw PlatformError(.releaseSelfApproval, "\(caller.principalName) cannot approve release \(release.id): \(reason); ask another principal",
                                details: ["approver": caller.principalId, "reason": reason])
        }
        if request.role == .securityOwner,
           case .deny(let reason) = try await identity.authorize(caller).decision(for: Self.securityApprovalScope) {
            throw PlatformError(.iamForbidden, "\(reason); a security-owner approval needs \(Self.securityApprovalScope)",
                                details: ["scope": Self.securityApprovalScope])
        }
        guard !release.approvals.contains(where: { $0.approver == caller.principalId && $0.role == request.role }) else {
            throw PlatformError(.releaseInvalid, "\(caller.principalName) already approved release \(release.id) as \(request.role.rawValue)",
                                details: ["field": "role"])
        }
    }

    /// Why `principal` may not approve `release` (it created it, attached or signed its
    /// evidence), or `nil`. Approvals themselves do not count as attaching evidence.
    static func conflict(of principal: String, in release: Release) -> String? {
        if release.createdBy == principal { return "it created the release" }
        let made = release.evidence.filter { $0.type != "approval" }
        if let attached = made.first(where: { $0.attachedBy == principal }) { return "it attached the \(attached.type) evidence" }
        if let signed = made.first(where: { !$0.platformMade && $0.signer == principal }) {
            return "it registered key \(signed.keyId) that signed the \(signed.type) evidence"
        }
        return nil
    }
}
