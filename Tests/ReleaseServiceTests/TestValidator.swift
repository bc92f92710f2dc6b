import Foundation
import PlatformContracts

/// A stand-in for the evidence validator with the release types of the registry: it checks a
/// UAT result's numbers and derives a SARIF log's highest severity from its results' levels
/// (the real validator does this and more from the JSON Schemas), so the release service's
/// use of the validator can be tested on its own.
struct TestValidator: EvidenceValidating {
    static let handMade = ["pipeline-links", "uat-result", "security-scan", "residual-risk", "rollback-plan"]
    static let platformMade = ["release-candidate", "contract-drift", "migration-status", "capacity-posture", "approval", "deploy-smoke"]

    static func predicateType(_ type: String) -> String { "https://platform.local/evidence/\(type)/v1" }

    var types: [EvidenceTypeDefinition] {
        (Self.handMade.map { ($0, false) } + Self.platformMade.map { ($0, true) }).map { type, platform in
            EvidenceTypeDefinition(evidenceId: type, owner: "release", predicateType: Self.predicateType(type), requiredFields: [],
                                   retentionClass: "release", releaseBlocking: true, platformMade: platform, description: type)
        }
    }

    func validate(evidenceId: String, predicateType: String, predicate: [UInt8]) throws -> [String: String] {
        guard types.contains(where: { $0.evidenceId == evidenceId }) else {
            throw PlatformError(.evidenceTypeUnknown, "evidence type \(evidenceId) is not in the evidence-type registry")
        }
        let object = (try? JSONSerialization.jsonObject(with: Data(predicate))) as? [String: Any] ?? [:]
        switch evidenceId {
        case "uat-result":
            for key in ["total", "passed", "failed"] where !(object[key] is NSNumber) {
                throw PlatformError(.evidenceInvalid, "\(key) is required", details: ["path": "/\(key)", "reason": "required"])
            }
            guard object["suite"] is String else {
                throw PlatformError(.evidenceInvalid, "suite is required", details: ["path": "/suite", "reason": "required"])
            }
            return ["passed": "\(object["passed"]!)", "failed": "\(object["failed"]!)", "total": "\(object["total"]!)"]
        case "security-scan":
            guard object["version"] as? String == "2.1.0", let runs = object["runs"] as? [[String: Any]] else {
                throw PlatformError(.evidenceInvalid, "not a SARIF 2.1.0 log", details: ["path": "/", "reason": "format"])
            }
            let rank = ["none": 0, "low": 1, "medium": 2, "high": 3]
            let levels = runs.flatMap { ($0["results"] as? [[String: Any]]) ?? [] }.map { result -> String in
                switch result["level"] as? String {
                case "error": "high"
                case "warning": "medium"
                case "note": "low"
                default: "none"
                }
            }
            let highest = levels.max { rank[$0]! < rank[$1]! } ?? "none"
            return ["format": "sarif-2.1", "highest_severity": highest, "findings": "\(levels.count)"]
        default:
            return [:]
        }
    }

    /// A SARIF 2.1.0 log with one result per level; `summary` is a lying summary field the
    /// gates must not read.
    static func sarif(levels: [String], summary: String = "none") -> [String: Any] {
        ["version": "2.1.0", "summary": ["highest": summary],
         "runs": [["tool": ["driver": ["name": "scanner"]], "results": levels.map { ["level": $0, "message": ["text": "finding"]] }]]]
    }
}
