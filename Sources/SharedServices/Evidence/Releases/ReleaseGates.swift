import Foundation
import PlatformContracts

/// A release statement as an evaluation found it: re-verified and re-validated now.
struct CheckedEvidence {
    let evidence: ReleaseEvidence
    /// The predicate, parsed.
    let predicate: [String: Any]
    /// Facts the validator derived now.
    let facts: [String: String]
}

/// Everything the six gates read, gathered by the service; the gates themselves are pure.
struct GateInputs {
    let release: Release
    /// Statements that still verify and validate, oldest first.
    let valid: [CheckedEvidence]
    /// Statements that no longer count, with why.
    let invalid: [(evidence: ReleaseEvidence, reason: String)]
    /// Each artifact's effective trust, or why it is unknown; `nil`: no trust lookup.
    let trust: [String: Result<TrustState, PlatformError>]?
    /// Fields required under the snapshot for this environment (open decision 2).
    let required: Set<ReleaseField>
    let blockingSeverities: [String]
    let securityOwnerClasses: [String]
    let reservePercent: Int64
    let smokeMaxSeconds: Int64
}

/// The six release gates ("Gate rules" of the issue): a required field with no valid statement
/// is listed `missing <field> (<evidence type>)`; a present statement is always evaluated,
/// required or not.
enum ReleaseGates {
    static func evaluate(_ inputs: GateInputs) -> [ReleaseGateResult] {
        ReleaseGate.allCases.map { gate in
            var run = GateRun(inputs: inputs)
            for field in ReleaseField.allCases where home(of: field) == gate {
                run.require(field)
            }
            run.check(gate)
            return ReleaseGateResult(gate: gate, passed: run.missing.isEmpty, missing: run.missing, inputs: run.read.sorted())
        }
    }

    /// The gate that lists a field as missing: the first whose fields name it.
    static func home(of field: ReleaseField) -> ReleaseGate {
        ReleaseGate.allCases.first { $0.fields.contains(field) } ?? .environmentProfile
    }

    /// The minimum trust state of every artifact for an environment.
    static func requiredTrust(for environment: String) -> TrustState {
        environment == "production" ? .promotedStaging : .verified
    }
}

/// One gate's evaluation in progress.
private struct GateRun {
    let inputs: GateInputs
    var missing: [String] = []
    var read: Set<String> = []

    init(inputs: GateInputs) { self.inputs = inputs }

    /// The newest valid statement of a type, noted as read.
    mutating func newest(_ type: String) -> CheckedEvidence? {
        guard let found = inputs.valid.last(where: { $0.evidence.type == type }) else { return nil }
        read.insert(found.evidence.envelope)
        return found
    }

    mutating func require(_ field: ReleaseField) {
        let type = field.evidenceType
        guard inputs.required.contains(field), field != .approvals, newest(type) == nil else { return }
        missing.append("missing \(field.rawValue) (\(type))")
        if let stale = inputs.invalid.last(where: { $0.evidence.type == type }) {
            missing.append("\(type) \(stale.evidence.id) does not count: \(stale.reason)")
        }
    }

    mutating func check(_ gate: ReleaseGate) {
        switch gate {
        case .contractDrift:
            if let drift = newest("contract-drift"), let result = drift.predicate["result"] as? String, result != "pass" {
                missing.append("contract-drift result is \(result), not pass")
            }
        case .uatAutomation:
            if let uat = newest("uat-result") {
                let passed = int(uat, "passed") ?? 0, failed = int(uat, "failed") ?? 0
                if failed != 0 || passed < 1 {
                    missing.append("uat-result: \(failed) failed, \(passed) passed of \(int(uat, "total") ?? 0)")
                }
            }
        case .securityEvidence:
            if let scan = newest("security-scan") {
                if let severity = scan.facts["highest_severity"] {
                    if inputs.blockingSeverities.contains(severity) {
                        missing.append("security-scan: highest severity \(severity) is blocking (\(inputs.blockingSeverities.joined(separator: ", ")))")
                    }
                } else {
                    missing.append("security-scan: no highest severity could be derived from its findings")
                }
            }
        case .environmentProfile:
            checkEnvironment()
        case .capacityReserve:
            if let capacity = newest("capacity-posture") {
                let total = int(capacity, "totalGpus") ?? 0, free = int(capacity, "freeGpus") ?? 0
                let needed = (total * inputs.reservePercent + 99) / 100
                if free < needed {
                    missing.append("capacity-posture: \(free) of \(total) GPUs free; the \(inputs.reservePercent) % reserve needs \(needed)")
                }
            }
        case .approvalResidualRisk:
            checkApprovals()
        }
    }

    mutating func checkEnvironment() {
        let wanted = ReleaseGates.requiredTrust(for: inputs.release.environment)
        if let trust = inputs.trust {
            for artifact in inputs.release.artifacts {
                switch trust[artifact] {
                case .success(let state) where state.rank >= wanted.rank: break
                case .success(let state): missing.append("artifact \(artifact) is \(state.rawValue); \(inputs.release.environment) needs \(wanted.rawValue)")
                case .failure(let error): missing.append("artifact \(artifact): \(error.message)")
                case nil: missing.append("artifact \(artifact): trust state unknown")
                }
            }
        } else {
            missing.append("artifact trust states are not available to the release service")
        }
        if let migrations = newest("migration-status"), let result = migrations.predicate["result"] as? String, result != "current" {
            missing.append("migration-status result is \(result) (\(int(migrations, "pending") ?? 0) pending), not current")
        }
        if let smoke = newest("deploy-smoke") {
            let result = smoke.predicate["result"] as? String ?? "?"
            let ready = int(smoke, "timeToReadyMs") ?? Int64.max
            if result != "ready" {
                missing.append("deploy-smoke result is \(result), not ready")
            } else if ready > inputs.smokeMaxSeconds * 1000 {
                missing.append("deploy-smoke ready after \(ready) ms; the limit is \(inputs.smokeMaxSeconds * 1000) ms")
            }
        }
    }

    /// At least one approval by a principal that neither created the release nor attached or
    /// signed its evidence (re-checked now: later evidence can disqualify an earlier approval),
    /// and a security owner's when the residual-risk class asks for one.
    mutating func checkApprovals() {
        let release = inputs.release
        let approvalEnvelopes = Set(inputs.valid.filter { $0.evidence.type == "approval" }.map(\.evidence.envelope))
        var counted: [ReleaseApproval] = []
        var refused: [String] = []
        for approval in release.approvals {
            guard approvalEnvelopes.contains(approval.envelope) else {
                refused.append("approval by \(approval.approver) does not count: its statement no longer verifies")
                continue
            }
            if let conflict = ReleaseService.conflict(of: approval.approver, in: release) {
                refused.append("approval by \(approval.approver) does not count: \(conflict)")
                continue
            }
            counted.append(approval)
            read.insert(approval.envelope)
        }
        if inputs.required.contains(.approvals), counted.isEmpty {
            missing.append("missing approvals (approval)")
            missing.append(contentsOf: refused)
        }
        if let risk = newest("residual-risk"), let riskClass = risk.predicate["class"] as? String,
           inputs.securityOwnerClasses.contains(riskClass), !counted.contains(where: { $0.role == .securityOwner }) {
            missing.append("residual-risk class \(riskClass) needs a security-owner approval")
        }
    }

    func int(_ statement: CheckedEvidence, _ key: String) -> Int64? {
        (statement.predicate[key] as? NSNumber)?.int64Value
    }
}
