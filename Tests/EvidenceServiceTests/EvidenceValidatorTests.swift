import Foundation
import OCIKit
import PlatformContracts
import Testing
@testable import EvidenceService

/// Predicates are checked against their type's JSON Schema at attach time, and a scan's
/// severity comes from its findings, never from a summary the report carries.
@Suite("Evidence validator")
struct EvidenceValidatorTests {
    let validator: EvidenceValidator

    init() throws {
        validator = try EvidenceFixtures.shippedValidator()
    }

    func facts(_ id: String, _ predicate: Any) throws -> [String: String] {
        try validator.validate(evidenceId: id, predicateType: EvidenceFixtures.predicateType(id), predicate: try EvidenceFixtures.json(predicate))
    }

    func refusal(_ id: String, _ predicate: Any, predicateType: String? = nil) throws -> PlatformError? {
        do {
            _ = try validator.validate(evidenceId: id, predicateType: predicateType ?? EvidenceFixtures.predicateType(id),
                                       predicate: try EvidenceFixtures.json(predicate))
            return nil
        } catch let error as PlatformError {
            return error
        }
    }

    @Test("a vulnerability scan without findings is refused (evidence.invalid, path and reason); with findings it passes and its severity is derived")
    func vulnerabilityScanWithoutFindingsIsRefused() throws {
        let missing = try #require(try refusal("vulnerability-scan", ["scanner": "example", "target": "app"]))
        #expect(missing.code == .evidenceInvalid && missing.details["path"] == "/" && missing.details["reason"]?.contains("findings") == true,
                "\(missing)")
        let badSeverity = try #require(try refusal("vulnerability-scan", ["scanner": "x", "findings": [["id": "CVE-1", "severity": "whatever"]]]))
        #expect(badSeverity.details["path"] == "/findings/0/severity")
        #expect(try facts("vulnerability-scan", ["scanner": "example", "findings": []]) == ["format": "findings", "highest_severity": "none", "findings": "0"])
        let found = try facts("vulnerability-scan", ["scanner": ["name": "trivy"], "findings": [["id": "CVE-1", "severity": "LOW"],
                                                                                                ["id": "CVE-2", "severity": "Critical"]]])
        #expect(found["highest_severity"] == "critical" && found["findings"] == "2")
    }

    @Test("every existing producer's predicate stays valid: appctl artifact sign provenance, ready-within seconds and the publish.sh smoke report, the how-to scan")
    func existingProducersStayValid() throws {
        let provenance = try InTotoStatementFixture.provenance()
        let derived = try facts("slsa-provenance", provenance)
        #expect(derived["sourceCommit"] == "0a1b2c3")
        #expect(try facts("ready-within", ["seconds": 12])["seconds"] == "12")
        #expect(try facts("ready-within", ["app": "gpu-echo", "readyWithinMinutes": 5, "observedReadySeconds": 1.5, "ready": true, "passed": true,
                                           "checks": [["name": "GET /healthz", "passed": true]]])["seconds"] == "1.5")
        #expect(try refusal("ready-within", ["file": "ready.txt", "contentBase64": "eA=="])?.code == .evidenceInvalid)
        #expect(try facts("vulnerability-scan", ["scanner": "example", "target": "acme/app@sha256:00", "findings": []])["highest_severity"] == "none")
        #expect(try refusal("slsa-provenance", [:])?.code == .evidenceInvalid)
    }

    @Test("SARIF: security-severity (CVSS) wins over level, rules are found by index or id, suppressed, absent and passing results do not count")
    func sarifSeverityIsDerivedFromResults() throws {
        let rules: [[String: Any]] = [
            ["id": "sql-injection", "properties": ["security-severity": "9.8"]],
            ["id": "weak-hash", "defaultConfiguration": ["level": "note"]],
        ]
        let log = EvidenceFixtures.sarif(results: [
            ["ruleId": "weak-hash", "message": ["text": "md5"]],
            ["ruleIndex": 0, "message": ["text": "injection"], "suppressions": [["kind": "inSource", "status": "accepted"]]],
            ["ruleId": "sql-injection", "message": ["text": "fixed"], "baselineState": "absent"],
            ["ruleId": "sql-injection", "message": ["text": "ok"], "kind": "pass"],
            ["message": ["text": "warning by default"]],
        ], rules: rules)
        #expect(try facts("security-scan", log) == ["format": "sarif-2.1", "highest_severity": "medium", "findings": "2"])
        let live = EvidenceFixtures.sarif(results: [["ruleIndex": 0, "message": ["text": "injection"]]], rules: rules)
        #expect(try facts("security-scan", live)["highest_severity"] == "critical")
        let levels = EvidenceFixtures.sarif(results: [["level": "error", "message": ["text": "e"]],
                                                      ["level": "note", "properties": ["security-severity": 7.1], "message": ["text": "n"]]])
        #expect(try facts("security-scan", levels)["highest_severity"] == "high")
        #expect(try facts("security-scan", EvidenceFixtures.sarif(results: []))["highest_severity"] == "none")
    }

    @Test("a scan's summary field that lies is ignored: the facts come from the findings only")
    func lyingSummaryIsIgnored() throws {
        let sarif = EvidenceFixtures.sarif(
            results: [["ruleId": "rce", "message": ["text": "remote code execution"], "properties": ["security-severity": "10.0"]]],
            extra: ["highest_severity": "none", "findings": 0, "format": "clean", "properties": ["summary": ["critical": 0]]])
        #expect(try facts("security-scan", sarif) == ["format": "sarif-2.1", "highest_severity": "critical", "findings": "1"])
        var bom = EvidenceFixtures.cycloneDX([["id": "CVE-2024-1", "ratings": [["severity": "high"]]]])
        bom["highest_severity"] = "low"
        #expect(try facts("security-scan", bom)["highest_severity"] == "high")
        let scan: [String: Any] = ["scanner": "x", "highest_severity": "none", "findings": [["id": "CVE-9", "severity": "critical"]]]
        #expect(try facts("vulnerability-scan", scan)["highest_severity"] == "critical")
    }

    @Test("CycloneDX VEX: not_affected, false_positive and resolved vulnerabilities do not count; a score stands in for a missing severity; unrated counts as high")
    func cycloneDXVexStatesAreHonoured() throws {
        let bom = EvidenceFixtures.cycloneDX([
            ["id": "CVE-1", "ratings": [["severity": "critical"]], "analysis": ["state": "not_affected", "justification": "code_not_reachable"]],
            ["id": "CVE-2", "ratings": [["severity": "critical"]], "analysis": ["state": "false_positive"]],
            ["id": "CVE-3", "ratings": [["severity": "critical"]], "analysis": ["state": "resolved"]],
            ["id": "CVE-4", "ratings": [["severity": "low"], ["score": 5.3, "method": "CVSSv31"]], "analysis": ["state": "in_triage"]],
        ])
        #expect(try facts("security-scan", bom) == ["format": "cyclonedx-vex", "highest_severity": "medium", "findings": "1"])
        #expect(try facts("security-scan", EvidenceFixtures.cycloneDX([["id": "CVE-5"]]))["highest_severity"] == "high")
        #expect(try facts("vulnerability-scan", EvidenceFixtures.cycloneDX([]))["format"] == "cyclonedx-vex")
    }

    @Test("a security scan that is neither SARIF 2.1.0 nor CycloneDX VEX, or breaks its format's shape, is refused")
    func securityScanShapeIsChecked() throws {
        #expect(try refusal("security-scan", ["scanner": "x", "findings": []])?.details["reason"]?.contains("SARIF 2.1.0") == true)
        let oldVersion: [String: Any] = ["version": "2.0.0", "runs": [["tool": ["driver": ["name": "x"]], "results": []]]]
        #expect(try refusal("security-scan", oldVersion)?.details["path"] == "/version")
        #expect(try refusal("security-scan", ["version": "2.1.0", "runs": []])?.details["path"] == "/runs")
        let noResults: [String: Any] = ["version": "2.1.0", "runs": [["tool": ["driver": ["name": "x"]]]]]
        #expect(try refusal("security-scan", noResults)?.details["path"] == "/runs/0")
        #expect(try refusal("security-scan", ["bomFormat": "CycloneDX", "specVersion": "1.5"])?.code == .evidenceInvalid)
        let badState = EvidenceFixtures.cycloneDX([["id": "CVE-1", "analysis": ["state": "ignored"]]])
        #expect(try refusal("security-scan", badState)?.details["path"] == "/vulnerabilities/0/analysis/state")
    }

    @Test("release predicates follow their shapes: UAT counts add up, links need a URL, risk needs a class and statement, platform-made shapes")
    func releasePredicatesFollowTheirShapes() throws {
        let uat = try facts("uat-result", ["suite": "checkout", "total": 12, "passed": 11, "failed": 1, "skipped": 0])
        #expect(uat["passed"] == "11" && uat["failed"] == "1" && uat["total"] == "12")
        #expect(try refusal("uat-result", ["suite": "checkout", "total": 0, "passed": 0, "failed": 0])?.details["path"] == "/total")
        #expect(try refusal("uat-result", ["suite": "checkout", "total": 2, "passed": 5, "failed": 0])?.details["reason"]?.contains("more than the total") == true)
        #expect(try refusal("uat-result", ["suite": "checkout", "passed": 5, "failed": 0])?.details["reason"]?.contains("total") == true)
        #expect(try facts("pipeline-links", ["links": [["name": "build", "url": "https://ci.example/run/1"]]])["links"] == "1")
        #expect(try refusal("pipeline-links", ["links": []])?.details["path"] == "/links")
        #expect(try refusal("pipeline-links", ["links": [["name": "build", "url": "ci run 1"]]])?.details["path"] == "/links/0/url")
        #expect(try facts("residual-risk", ["class": "high", "statement": "new payment path", "owner": "sec"])["class"] == "high")
        #expect(try refusal("residual-risk", ["class": "severe", "statement": "x"])?.details["path"] == "/class")
        #expect(try refusal("residual-risk", ["class": "low", "statement": ""])?.details["path"] == "/statement")
        #expect(try facts("rollback-plan", ["strategy": "forward-fix", "steps": ["ship 1.0.1"], "tested": true])["strategy"] == "forward-fix")
        #expect(try refusal("rollback-plan", ["strategy": "rollback", "steps": []])?.code == .evidenceInvalid)
        let smoke: [String: Any] = ["environment": "staging", "app": "shop", "version": "1.0.0", "instance": "01J", "correlationId": "req-1",
                                    "timeToReadyMs": 4200, "readyWithinMs": 600_000, "result": "ready"]
        #expect(try facts("deploy-smoke", smoke)["timeToReadyMs"] == "4200")
        var production = smoke
        production["environment"] = "production"
        #expect(try refusal("deploy-smoke", production)?.details["path"] == "/environment")
        let capacity: [String: Any] = ["totalGpus": 10, "freeGpus": 4, "reservePercent": 10, "requiredFree": 1, "ring": "canary", "result": "pass"]
        #expect(try facts("capacity-posture", capacity)["freeGpus"] == "4")
        var overfull = capacity
        overfull["freeGpus"] = 11
        #expect(try refusal("capacity-posture", overfull)?.details["path"] == "/freeGpus")
        #expect(try facts("migration-status", ["modules": [["module": "evidence", "applied": 1, "expected": 1]], "pending": 0, "result": "current"])["result"] == "current")
        #expect(try refusal("migration-status", ["modules": [], "pending": 2, "result": "current"])?.details["path"] == "/pending")
        let drift: [String: Any] = ["result": "pass", "sourceSha": String(repeating: "a", count: 40), "checkedAt": "2026-01-01T00:00:00Z",
                                    "artifacts": [["name": "openapi", "status": "match", "digest": "sha256:00"]],
                                    "server": ["openapi": "sha256:00", "asyncapi": "sha256:11", "matches": true]]
        #expect(try facts("contract-drift", drift)["result"] == "pass")
        let candidate: [String: Any] = ["release": "01JREL", "project": "01JPROJ", "environment": "production",
                                        "artifacts": ["sha256:" + String(repeating: "b", count: 64)], "sourceSha": String(repeating: "c", count: 40),
                                        "branch": "main", "createdBy": "01JDEV", "createdAt": "2026-01-01T00:00:00Z"]
        #expect(try facts("release-candidate", candidate)["environment"] == "production")
        var shortSha = candidate
        shortSha["sourceSha"] = "abc123"
        #expect(try refusal("release-candidate", shortSha)?.details["path"] == "/sourceSha")
        let approval: [String: Any] = ["release": "01JREL", "approver": "01JREV", "role": "security-owner", "comment": "ok", "approvedAt": "2026-01-01T00:00:00Z"]
        #expect(try facts("approval", approval)["role"] == "security-owner")
    }

    @Test("an unknown type is evidence.type_unknown; a statement of another predicate type, a non-object or non-JSON predicate is evidence.invalid")
    func typeAndPredicateTypeAreChecked() throws {
        #expect(try refusal("made-up", [:], predicateType: "x")?.code == .evidenceTypeUnknown)
        let wrongType = try #require(try refusal("uat-result", ["suite": "s", "total": 1, "passed": 1, "failed": 0],
                                                 predicateType: "https://platform.local/evidence/security-scan/v1"))
        #expect(wrongType.code == .evidenceInvalid && wrongType.details["path"] == "/predicateType")
        #expect(try refusal("uat-result", [1, 2])?.code == .evidenceInvalid)
        do {
            _ = try validator.validate(evidenceId: "uat-result", predicateType: EvidenceFixtures.predicateType("uat-result"), predicate: Array("{not json".utf8))
            Issue.record("non-JSON accepted")
        } catch let error as PlatformError {
            #expect(error.code == .evidenceInvalid && error.details["reason"] == "the predicate is not JSON")
        }
    }
}

/// The predicate `appctl artifact sign` writes (OCIKit's provenance builder), as JSON.
enum InTotoStatementFixture {
    static func provenance() throws -> Any {
        try JSONSerialization.jsonObject(with: InTotoStatement.provenance(sourceRepository: "https://git.example/app", commit: "0a1b2c3",
                                                                          builder: "appctl"))
    }
}
