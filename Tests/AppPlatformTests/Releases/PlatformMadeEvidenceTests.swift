import AppPlatform
import Foundation
import PlatformContracts
import Testing

/// The predicates of platform-made evidence are computed from the server's own state: a
/// contract report only passes when the documents it checked are the ones this server
/// serves, migrations are compared module by module, and the capacity reserve rounds up.
@Suite("Platform-made release evidence")
struct PlatformMadeEvidenceTests {
    static let sha = String(repeating: "ab", count: 20)
    static let openAPI = Data(#"{"openapi":"3.1.0"}"#.utf8)
    static let asyncAPI = Data(#"{"asyncapi":"3.0.0"}"#.utf8)

    static func report(sha: String? = PlatformMadeEvidenceTests.sha, openAPI: String = PlatformMadeEvidence.digest(PlatformMadeEvidenceTests.openAPI),
                       result: String = "pass", dirty: Bool = false) -> String {
        var object: [String: Any] = [
            "checkedAt": "2026-12-06T00:00:00Z", "dirty": dirty, "result": result,
            "artifacts": [
                ["name": "openapi", "path": "manifests/api/openapi.json", "committedDigest": openAPI, "generatedDigest": openAPI, "status": "pass", "detail": ""],
                ["name": "asyncapi", "path": "manifests/api/asyncapi.json", "committedDigest": PlatformMadeEvidence.digest(asyncAPI),
                 "generatedDigest": PlatformMadeEvidence.digest(asyncAPI), "status": "pass", "detail": ""],
                ["name": "sdk-python", "path": "sdk/python/platform-client", "committedDigest": "sha256:00", "status": result == "incomplete" ? "skipped" : "pass", "detail": ""],
            ],
        ]
        if let sha { object["sourceSha"] = sha }
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static func object(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test("contract drift passes only when the report passed and its committed documents are the ones this server serves")
    func contractDriftPassesOnlyWhenTheReportMatchesTheServedDocuments() throws {
        let matching = try Self.object(PlatformMadeEvidence.contractDrift(report: Self.report(), openAPI: Self.openAPI, asyncAPI: Self.asyncAPI,
                                                                          releaseSourceSha: Self.sha))
        #expect(matching["result"] as? String == "pass")
        let server = try #require(matching["server"] as? [String: Any])
        #expect(server["matches"] as? Bool == true && server["openapi"] as? String == PlatformMadeEvidence.digest(Self.openAPI))
        #expect((matching["artifacts"] as? [[String: Any]])?.count == 3)

        // A report that says pass about another document than the one served is a fail, not a pass.
        let lying = try Self.object(PlatformMadeEvidence.contractDrift(
            report: Self.report(openAPI: "sha256:" + String(repeating: "0", count: 64)), openAPI: Self.openAPI, asyncAPI: Self.asyncAPI,
            releaseSourceSha: Self.sha))
        #expect(lying["result"] as? String == "fail")
        #expect((lying["server"] as? [String: Any])?["matches"] as? Bool == false)

        let failed = try Self.object(PlatformMadeEvidence.contractDrift(report: Self.report(result: "fail"), openAPI: Self.openAPI,
                                                                        asyncAPI: Self.asyncAPI, releaseSourceSha: Self.sha))
        #expect(failed["result"] as? String == "fail")
    }

    @Test("a skipped check or a dirty tree is incomplete, never a pass")
    func contractDriftOfSkippedOrDirtyCheckIsIncomplete() throws {
        for report in [Self.report(result: "incomplete"), Self.report(dirty: true)] {
            let made = try Self.object(PlatformMadeEvidence.contractDrift(report: report, openAPI: Self.openAPI, asyncAPI: Self.asyncAPI,
                                                                          releaseSourceSha: Self.sha))
            #expect(made["result"] as? String == "incomplete")
        }
    }

    @Test("a report of another commit, without a commit, or not a report at all is refused")
    func contractDriftReportOfAnotherCommitIsRefused() {
        for (report, release) in [(Self.report(), String(repeating: "cd", count: 20)), (Self.report(sha: nil), Self.sha), ("[1,2]", Self.sha)] {
            #expect(throws: PlatformError.self) {
                _ = try PlatformMadeEvidence.contractDrift(report: report, openAPI: Self.openAPI, asyncAPI: Self.asyncAPI, releaseSourceSha: release)
            }
            do {
                _ = try PlatformMadeEvidence.contractDrift(report: report, openAPI: Self.openAPI, asyncAPI: Self.asyncAPI, releaseSourceSha: release)
            } catch let error as PlatformError {
                #expect(error.code == .releaseInvalid)
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test("migration status is current, behind (with the pending count) or ahead, module by module")
    func migrationStatusComparesEveryModule() throws {
        let current = try Self.object(PlatformMadeEvidence.migrationStatus([.init(module: "iam", applied: 2, expected: 2),
                                                                            .init(module: "audit", applied: 1, expected: 1)]))
        #expect(current["result"] as? String == "current" && current["pending"] as? Int == 0)
        #expect((current["modules"] as? [[String: Any]])?.first?["module"] as? String == "audit", "sorted by module")
        let behind = try Self.object(PlatformMadeEvidence.migrationStatus([.init(module: "iam", applied: 1, expected: 3),
                                                                           .init(module: "status", applied: 0, expected: 1)]))
        #expect(behind["result"] as? String == "behind" && behind["pending"] as? Int == 3)
        let ahead = try Self.object(PlatformMadeEvidence.migrationStatus([.init(module: "iam", applied: 1, expected: 3),
                                                                          .init(module: "future", applied: 1, expected: 0)]))
        #expect(ahead["result"] as? String == "ahead")
    }

    @Test("the capacity reserve rounds up and fails when fewer GPUs are free")
    func capacityPostureRoundsTheReserveUp() throws {
        #expect(PlatformMadeEvidence.requiredFree(total: 8, percent: 10) == 1)
        #expect(PlatformMadeEvidence.requiredFree(total: 20, percent: 10) == 2)
        #expect(PlatformMadeEvidence.requiredFree(total: 0, percent: 10) == 0)
        func node(_ held: [String?]) -> NodeUsage {
            NodeUsage(node: "n1", devices: held.enumerated().map { index, holder in
                NodeUsage.Device(device: GPUDevice(index: index, uuid: "GPU-\(index)", name: "A100", modelId: "a100", memoryMiB: 40_960), instance: holder)
            })
        }
        let full = try Self.object(PlatformMadeEvidence.capacityPosture(nodes: [node(["i1", "i2", "i3", "i4"])], reservePercent: 10,
                                                                        environment: "production"))
        #expect(full["result"] as? String == "fail" && full["requiredFree"] as? Int == 1 && full["freeGpus"] as? Int == 0)
        #expect(full["ring"] as? String == "broad")
        let spare = try Self.object(PlatformMadeEvidence.capacityPosture(nodes: [node(["i1", nil, nil, nil])], reservePercent: 50,
                                                                         environment: "staging"))
        #expect(spare["result"] as? String == "pass" && spare["totalGpus"] as? Int == 4 && spare["freeGpus"] as? Int == 3)
        #expect(spare["ring"] as? String == "canary")
    }
}
