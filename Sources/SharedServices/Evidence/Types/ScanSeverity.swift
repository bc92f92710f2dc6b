import ManifestKit

/// The severity of a scan finding, derived from the findings themselves: a report's own
/// summary (a `highest_severity` field, a `summary.critical: 0`) is never read, because the
/// gate would then trust whoever wrote the report.
public enum ScanSeverity: String, Sendable, CaseIterable, Comparable {
    case none, low, medium, high, critical

    var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public static func < (lhs: ScanSeverity, rhs: ScanSeverity) -> Bool { lhs.rank < rhs.rank }

    /// A CVSS score's band (as GitHub code scanning reads SARIF's `security-severity`):
    /// ≥ 9 critical, ≥ 7 high, ≥ 4 medium, > 0 low.
    static func cvss(_ score: Double) -> ScanSeverity {
        switch score {
        case 9...: .critical
        case 7..<9: .high
        case 4..<7: .medium
        case let value where value > 0: .low
        default: .none
        }
    }

    /// A SARIF `level`: error → high, warning → medium, note → low, none → none.
    static func sarif(level: String) -> ScanSeverity {
        switch level {
        case "error": .high
        case "note": .low
        case "none": .none
        default: .medium
        }
    }

    /// A scanner's severity word (case-insensitive). `unknown` (an unrated finding) counts as
    /// high: a finding nobody rated is not shown to be harmless, and high blocks by default.
    static func named(_ word: String) -> ScanSeverity? {
        switch word.lowercased() {
        case "critical": .critical
        case "high": .high
        case "medium", "moderate": .medium
        case "low": .low
        case "none", "info", "informational", "negligible": ScanSeverity.none
        case "unknown": .high
        default: nil
        }
    }
}

/// What a scan says once its findings are read: the facts the security gates decide on.
struct ScanSummary: Equatable {
    /// `sarif-2.1`, `cyclonedx-vex` or `findings` (the platform's own list).
    var format: String
    var highest: ScanSeverity
    var findings: Int

    var facts: [String: String] {
        ["format": format, "highest_severity": highest.rawValue, "findings": String(findings)]
    }

    /// A SARIF 2.1.0 log. A result counts unless its `kind` says it passed or does not apply,
    /// its `baselineState` is `absent` (fixed since the baseline), or it is suppressed (a
    /// suppression without a status, or with `accepted`). Its severity is the result's or
    /// else its rule's `properties.security-severity` (CVSS), else the result's or rule's
    /// `level` (SARIF's default level is `warning`).
    static func sarif(_ log: EvidenceJSON) -> ScanSummary {
        var summary = ScanSummary(format: "sarif-2.1", highest: .none, findings: 0)
        for run in log["runs"]?.array ?? [] {
            let rules = run["tool"]?["driver"]?["rules"]?.array ?? []
            for result in run["results"]?.array ?? [] {
                let kind = result["kind"]?.string ?? "fail"
                guard !["pass", "notApplicable", "informational"].contains(kind) else { continue }
                guard result["baselineState"]?.string != "absent" else { continue }
                let suppressed = (result["suppressions"]?.array ?? []).contains { suppression in
                    let status = suppression["status"]?.string
                    return status == nil || status == "accepted"
                }
                guard !suppressed else { continue }
                let rule = Self.rule(of: result, in: rules)
                let severity: ScanSeverity
                if let score = result["properties"]?["security-severity"]?.number ?? rule?["properties"]?["security-severity"]?.number {
                    severity = .cvss(score)
                } else {
                    let level = result["level"]?.string ?? rule?["defaultConfiguration"]?["level"]?.string ?? "warning"
                    severity = .sarif(level: level)
                }
                summary.findings += 1
                summary.highest = max(summary.highest, severity)
            }
        }
        return summary
    }

    /// The rule a result refers to: by `ruleIndex` when it is in range, else by `ruleId`.
    static func rule(of result: EvidenceJSON, in rules: [EvidenceJSON]) -> EvidenceJSON? {
        if case .integer(let index)? = result["ruleIndex"], index >= 0, index < rules.count { return rules[Int(index)] }
        guard let id = result["ruleId"]?.string else { return nil }
        return rules.first { $0["id"]?.string == id }
    }

    /// A CycloneDX VEX BOM. A vulnerability counts unless its analysis state is
    /// `not_affected`, `false_positive` or `resolved` (`resolved_with_pedigree` too); its
    /// severity is the highest of its ratings (a rating's `severity`, else its CVSS `score`);
    /// one with no usable rating counts as high (unrated is not harmless).
    static func cycloneDX(_ bom: EvidenceJSON) -> ScanSummary {
        var summary = ScanSummary(format: "cyclonedx-vex", highest: .none, findings: 0)
        let settled: Set<String> = ["not_affected", "false_positive", "resolved", "resolved_with_pedigree"]
        for vulnerability in bom["vulnerabilities"]?.array ?? [] {
            if let state = vulnerability["analysis"]?["state"]?.string, settled.contains(state) { continue }
            let rated = (vulnerability["ratings"]?.array ?? []).compactMap { rating -> ScanSeverity? in
                if let word = rating["severity"]?.string, word != "unknown", let severity = ScanSeverity.named(word) { return severity }
                return rating["score"]?.number.map(ScanSeverity.cvss)
            }
            summary.findings += 1
            summary.highest = max(summary.highest, rated.max() ?? .high)
        }
        return summary
    }

    /// The platform's own scan shape: `findings: [{id, severity}]`.
    static func findings(_ report: EvidenceJSON) -> ScanSummary {
        var summary = ScanSummary(format: "findings", highest: .none, findings: 0)
        for finding in report["findings"]?.array ?? [] {
            summary.findings += 1
            summary.highest = max(summary.highest, finding["severity"]?.string.flatMap(ScanSeverity.named) ?? .high)
        }
        return summary
    }
}
