import AppPlatform
import Foundation
import HTTPTypes
import OCIKit
import PlatformAPI
import PlatformContracts
import PlatformTestKit
import Testing

/// The release routes that make evidence and promote, against a real server: migration
/// status read from the running database, capacity from the GPU inventory, contract drift
/// checked against the documents this server derives (a report about other documents is a
/// fail, a report about another commit is refused), and promotion refused per gate, and for
/// a project key (only `release:promote` promotes).
@Suite("Release routes: platform-made evidence and promotion", .tags(.integration))
struct ReleaseRoutesProcessTests {
    static let sha = String(repeating: "5e", count: 20)

    /// A `appctl contract check --json`-shaped report about `sha` whose openapi entry has `openAPI`.
    static func report(sha: String, openAPI: String) -> [String: any Sendable] {
        let asyncAPI = PlatformMadeEvidence.digest(AsyncAPIDocument.json())
        return [
            "sourceSha": sha, "dirty": false, "checkedAt": "2026-12-06T00:00:00Z", "result": "pass",
            "artifacts": [
                ["name": "openapi", "path": "manifests/api/openapi.json", "committedDigest": openAPI, "generatedDigest": openAPI,
                 "status": "pass", "detail": "byte-identical"] as [String: any Sendable],
                ["name": "asyncapi", "path": "manifests/api/asyncapi.json", "committedDigest": asyncAPI, "generatedDigest": asyncAPI,
                 "status": "pass", "detail": "byte-identical"] as [String: any Sendable],
            ] as [any Sendable],
        ]
    }

    static func text(_ object: [String: any Sendable]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static func details(_ reply: IAMFixture.Reply) -> [String: String] {
        (try? JSONDecoder().decode(ErrorBody.self, from: reply.body))?.error.details ?? [:]
    }

    @Test("platform-made evidence is made from the server's own state; promotion lists what each gate misses", arguments: ServerBackend.enabled)
    func platformEvidenceAndPromotionRefusals(backend: ServerBackend) async throws {
        try await withRegistry(backend) { registry in
            let iam = registry.iam
            let (image, _) = try await registry.pushImage(tag: "1.0.0")
            let base = "/v1/projects/\(registry.project.id)/releases"
            let release = try await iam.ok(.post, base, key: registry.key, body: [
                "environment": "production", "artifacts": [image.digest.description], "sourceSha": Self.sha, "branch": "main",
            ], as: Release.self)
            let platform = "\(base)/\(release.id)/evidence/platform"

            let migration = try await iam.ok(.post, platform, key: registry.key, body: ["kind": "migration-status"], as: ReleaseEvidence.self)
            #expect(migration.type == "migration-status" && migration.platformMade)
            let capacity = try await iam.ok(.post, platform, key: registry.key, body: ["kind": "capacity-posture"], as: ReleaseEvidence.self)
            #expect(capacity.type == "capacity-posture" && capacity.platformMade)

            // A report for a migration kind, and a contract report of another commit, are refused.
            let served = PlatformMadeEvidence.digest(OpenAPIDocument.json())
            let stray = try await iam.call(.post, platform, key: registry.key,
                                           body: ["kind": "migration-status", "report": try Self.text(Self.report(sha: Self.sha, openAPI: served))])
            #expect(stray.status == .badRequest && stray.errorCode == "release.invalid", "\(String(decoding: stray.body, as: UTF8.self))")
            let otherCommit = try await iam.call(.post, platform, key: registry.key, body: [
                "kind": "contract-drift", "report": try Self.text(Self.report(sha: String(repeating: "0", count: 40), openAPI: served)),
            ])
            #expect(otherCommit.status == .badRequest && otherCommit.errorCode == "release.invalid")

            // A report that passed about another OpenAPI document leaves the drift gate failing …
            _ = try await iam.ok(.post, platform, key: registry.key, body: [
                "kind": "contract-drift", "report": try Self.text(Self.report(sha: Self.sha, openAPI: "sha256:" + String(repeating: "1", count: 64))),
            ], as: ReleaseEvidence.self)
            let gates = try await iam.ok(.get, "\(base)/\(release.id)/gates", key: registry.key, as: ReleaseDecision.self)
            #expect(gates.gates.first { $0.gate == .contractDrift }?.passed == false, "\(gates.gates)")
            // … and one about the served documents passes it.
            _ = try await iam.ok(.post, platform, key: registry.key, body: [
                "kind": "contract-drift", "report": try Self.text(Self.report(sha: Self.sha, openAPI: served)),
            ], as: ReleaseEvidence.self)
            let after = try await iam.ok(.get, "\(base)/\(release.id)/gates", key: registry.key, as: ReleaseDecision.self)
            #expect(after.gates.first { $0.gate == .contractDrift }?.passed == true, "\(after.gates)")
            #expect(after.gates.first { $0.gate == .environmentProfile }?.missing.contains { $0.contains("migration") } == false,
                    "\(after.gates)")

            // Project keys do not promote; platform keys are refused per gate, naming each gate's misses.
            let byProject = try await iam.call(.post, "\(base)/\(release.id)/promote", key: registry.key)
            #expect(byProject.status == .forbidden, "\(String(decoding: byProject.body, as: UTF8.self))")
            let refused = try await iam.call(.post, "\(base)/\(release.id)/promote", key: iam.adminKey)
            #expect(refused.status == .conflict && refused.errorCode == "release.gates_failed", "\(String(decoding: refused.body, as: UTF8.self))")
            let missing = Self.details(refused)["missing"] ?? ""
            #expect(missing.contains("uat-automation: ") && missing.contains("approval-residual-risk: ") && !missing.contains("contract-sdk-drift"),
                    "\(missing)")
            let shown = try await iam.ok(.get, "\(base)/\(release.id)", key: registry.key, as: Release.self)
            #expect(shown.state == .candidate && shown.decision?.verificationResult == "FAILED", "the failed decision is recorded")
        }
    }

    /// A hand-made statement about `digests` signed with `key`, as `appctl release evidence add` makes it.
    static func envelope(_ type: String, _ predicate: String, about digests: [ContentDigest], key: SigningPrivateKey) throws -> String {
        var statement = InTotoStatement(subject: "app", digest: digests[0], predicateType: "https://platform.local/evidence/\(type)/v1",
                                        predicate: Data(predicate.utf8))
        statement.subjects = digests.flatMap { InTotoStatement(subject: "app", digest: $0, predicateType: "", predicate: Data("{}".utf8)).subjects }
        return String(decoding: try JSONEncoder().encode(DSSEEnvelope.sign(payload: try statement.encoded(), with: key)), as: UTF8.self)
    }

    @Test("a staging release whose gates pass is promoted: the decision is recorded and each artifact moves through the ledger",
          arguments: ServerBackend.enabled)
    func passingReleaseIsPromoted(backend: ServerBackend) async throws {
        try await withRegistry(backend) { registry in
            let iam = registry.iam
            let (image, _) = try await registry.pushImage(tag: "1.0.0")
            let key = SigningPrivateKey()
            _ = try await TrustTests.register(registry, key, name: "ci")
            #expect(try await TrustTests.pushEnvelope(registry, try TrustTests.provenance(registry, about: image.digest, key: key), subject: image)
                .status == .created)
            let ready = InTotoStatement(subject: registry.repository, digest: image.digest,
                                        predicateType: "https://platform.local/evidence/ready-within/v1", predicate: Data(#"{"seconds":12}"#.utf8))
            #expect(try await TrustTests.pushEnvelope(registry, DSSEEnvelope.sign(payload: try ready.encoded(), with: key), subject: image,
                                                      evidenceType: "ready-within").status == .created)

            let base = "/v1/projects/\(registry.project.id)/releases"
            let release = try await iam.ok(.post, base, key: registry.key, body: [
                "environment": "staging", "artifacts": [image.digest.description], "sourceSha": Self.sha, "branch": "main",
            ], as: Release.self)
            let statements: [(String, String)] = [
                ("pipeline-links", #"{"links":[{"name":"build","url":"https://ci.example/builds/7"}]}"#),
                ("uat-result", #"{"suite":"checkout","total":3,"passed":3,"failed":0}"#),
                ("security-scan", #"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"scanner"}},"results":[]}]}"#),
            ]
            for (type, predicate) in statements {
                let reply = try await iam.call(.post, "\(base)/\(release.id)/evidence", key: registry.key,
                                               body: ["type": type, "envelope": try Self.envelope(type, predicate, about: [image.digest], key: key)])
                #expect(reply.status == .created, "\(type): \(String(decoding: reply.body, as: UTF8.self))")
            }
            let platform = "\(base)/\(release.id)/evidence/platform"
            let served = PlatformMadeEvidence.digest(OpenAPIDocument.json())
            _ = try await iam.ok(.post, platform, key: registry.key, body: ["kind": "migration-status"], as: ReleaseEvidence.self)
            _ = try await iam.ok(.post, platform, key: registry.key,
                                 body: ["kind": "contract-drift", "report": try Self.text(Self.report(sha: Self.sha, openAPI: served))], as: ReleaseEvidence.self)

            let gates = try await iam.ok(.get, "\(base)/\(release.id)/gates", key: registry.key, as: ReleaseDecision.self)
            #expect(gates.passed, "\(gates.gates.filter { !$0.passed })")
            let promoted = try await iam.ok(.post, "\(base)/\(release.id)/promote", key: iam.adminKey, as: Release.self)
            #expect(promoted.state == .promoted && promoted.decision?.verificationResult == "PASSED" && promoted.decision?.id != nil)
            let artifact = try await iam.ok(.get, "/v1/projects/\(registry.project.id)/artifacts/\(image.digest)", key: registry.key,
                                            as: TrustTests.Status.self)
            #expect(artifact.state == "promoted:staging")
            let again = try await iam.call(.post, "\(base)/\(release.id)/promote", key: iam.adminKey)
            #expect(again.status == .conflict && again.errorCode == "release.state_invalid")
        }
    }
}
