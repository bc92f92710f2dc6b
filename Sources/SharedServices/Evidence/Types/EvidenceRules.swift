import ManifestKit
import PlatformContracts

/// Checks a JSON Schema cannot state (sums, either-of fields), and the facts derived from
/// them, per evidence type. Runs after the schema passed, so shapes are known.
enum EvidenceRules {
    static func check(_ evidenceId: String, _ json: EvidenceJSON, facts: inout [String: String]) throws {
        switch evidenceId {
        case "uat-result":
            let total = json["total"]?.number ?? 0
            let counted = (json["passed"]?.number ?? 0) + (json["failed"]?.number ?? 0) + (json["skipped"]?.number ?? 0)
            guard counted <= total else {
                throw EvidenceValidator.invalid(evidenceId, path: "/total",
                                                reason: "passed, failed and skipped add up to \(Int(counted)), more than the total \(Int(total))")
            }
        case "ready-within":
            guard let seconds = json["seconds"]?.number ?? json["observedReadySeconds"]?.number else {
                throw EvidenceValidator.invalid(evidenceId, path: "/", reason: "needs seconds (time to ready) or a smoke report's observedReadySeconds")
            }
            facts["seconds"] = EvidenceJSON.double(seconds).factText
        case "migration-status":
            if json["result"]?.string == "current", let pending = json["pending"]?.number, pending > 0 {
                throw EvidenceValidator.invalid(evidenceId, path: "/pending", reason: "a current schema has no pending migrations, found \(Int(pending))")
            }
        case "capacity-posture":
            if let free = json["freeGpus"]?.number, let total = json["totalGpus"]?.number, free > total {
                throw EvidenceValidator.invalid(evidenceId, path: "/freeGpus", reason: "\(Int(free)) free GPUs out of \(Int(total))")
            }
        case "pipeline-links":
            facts["links"] = String(json["links"]?.array?.count ?? 0)
        case "rollback-plan":
            facts["steps"] = String(json["steps"]?.array?.count ?? 0)
        case "release-candidate":
            facts["artifacts"] = json["artifacts"]?.array?.compactMap(\.string).joined(separator: ",")
        case "slsa-provenance":
            let source = json["buildDefinition"]?["externalParameters"]?["source"]
            facts["sourceRepository"] = source?["repository"]?.string
            facts["sourceCommit"] = source?["commit"]?.string
        default:
            break
        }
    }
}
