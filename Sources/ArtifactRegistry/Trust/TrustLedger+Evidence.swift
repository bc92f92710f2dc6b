import OCIKit
import PlatformContracts

extension TrustLedger {
    /// Checks an evidence statement's content against its type's schema (the registry's
    /// validator) and returns what was derived from it. A statement with no evidence type,
    /// or a ledger built without a validator, has nothing to check.
    func content(of statement: InTotoStatement?, evidenceType: String?) -> (failure: PlatformError?, facts: [String: String]) {
        guard let validator, let statement, let evidenceType else { return (nil, [:]) }
        do {
            return (nil, try validator.validate(evidenceId: evidenceType, predicateType: statement.predicateType,
                                                predicate: [UInt8](statement.predicate)))
        } catch let error as PlatformError {
            return (error, [:])
        } catch {
            return (PlatformError(.evidenceInvalid, "\(evidenceType) evidence cannot be checked: \(error)"), [:])
        }
    }

    /// What a gate still misses because of what its evidence says rather than whether it is
    /// there: the newest valid statement of each required type whose derived
    /// `highest_severity` is critical (a scan "with no critical findings" is read from its
    /// findings, never from a summary the scanner's user wrote).
    static func contentMissing(_ required: [String], reports: [AttestationReport], facts: [String: [String: String]]) -> [String] {
        required.compactMap { evidence in
            guard let newest = reports.last(where: { $0.valid && $0.evidenceType == evidence }),
                  facts[newest.referrer]?["highest_severity"] == ScanSeverityName.critical else { return nil }
            return "evidence: \(evidence) reports critical findings (derived from its findings; attach a scan without them)"
        }
    }
}

/// The severity word the evidence validator derives for the worst finding.
enum ScanSeverityName {
    static let critical = "critical"
}
