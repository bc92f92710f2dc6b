import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OCIKit
import PlatformContracts
import PlatformTestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A release walked from candidate to production against the real `platformd` (local runc
/// adapter, the reference app published by its `publish.sh`), by five distinct principals:
/// the developer who builds, signs and attaches; a reviewer and a security owner who approve
/// (the residual risk is high); platform control, which alone promotes to production; the
/// platform admin who set them up. Then the
/// developer's signing key is revoked and the production instance must be flagged.
@Suite("A release from candidate to production (real platformd, runc)", .serialized, .tags(.integration))
struct ReleaseProcessTests {
    typealias Daemon = RegistryProcessTests.Daemon

    @Test("""
        candidate → production: missing evidence listed per gate; forged, tampered, wrong-subject and schema-invalid \
        statements and self-approval refused; platform-made evidence attached; a distinct approver unlocks; platform \
        control promotes under a signed decision; revoking the signing key demotes the artifact and flags its instance
        """, arguments: ServerBackend.enabled)
    func releaseToProduction(backend: ServerBackend) async throws {
        let databaseURL = try await backend.databaseURL()
        try await withTemporaryDirectory { directory async throws in
            let admin = try await InstanceProcessTests.startDaemon(directory, cluster: nil, round: 0,
                                                                   extra: databaseURL.map { ["--database-url", $0] } ?? [])
            do {
                try await Self.scenario(admin: admin, directory: directory)
            } catch {
                admin.process.signal(SIGKILL)
                await InstanceProcessTests.killContainers(directory)
                throw error
            }
            admin.process.signal(SIGKILL)
            await InstanceProcessTests.killContainers(directory)
        }
    }

    // MARK: - The walk

    static func scenario(admin adminDaemon: Daemon, directory: TemporaryDirectory) async throws {
        var admin = adminDaemon
        try await admin.makeProject()
        let project = String(admin.repository.split(separator: "/")[0]).uppercased()
        let developer = try await keyed(admin, account: try await projectAccount(admin, project: project, name: "dev", role: "project-admin"),
                                        scopes: RoleScopes.of("project-admin"))
        let reviewer = try await keyed(admin, account: try await projectAccount(admin, project: project, name: "reviewer", role: "project-admin"),
                                       scopes: ["release:read", "release:approve"])
        let securityOwner = try await keyed(admin, account: try await projectAccount(admin, project: project, name: "security", role: "security-owner"),
                                            scopes: ["release:read", "release:approve", "release:approve:security"])
        let controlAccount = try await json(ServiceAccount.self, admin, .POST, "/v1/serviceaccounts",
                                            ["name": "release-control", "role": "platform-control"], expect: 201)
        let control = try await keyed(admin, account: controlAccount,
                                      scopes: ["release:read", "release:promote", "artifacts:trust:promote", "artifacts:repository:pull"])

        // The developer publishes gpu-echo to staging with a signing key they register.
        let session = InstanceProcessTests.Session(daemon: developer, project: project, directory: directory, cluster: nil)
        try await session.publishReferenceApp(["--to", "staging"])
        let signingKey = try SigningPrivateKey(pem: String(contentsOf: directory.appending("signing.pem"), encoding: .utf8))
        let artifacts = try await json([ArtifactSummary].self, developer, .GET, "/v1/projects/\(project)/artifacts")
        let digest = try #require(artifacts.first { $0.repository.hasSuffix("/gpu-echo") }?.digest, "\(artifacts)")
        // The image's own production gate asks for a vulnerability scan (artifact evidence).
        let scanFile = directory.appending("artifact-scan.json")
        try Data(#"{"scanner":"example","findings":[]}"#.utf8).write(to: scanFile)
        let (attached, attachLog) = try await session.appctl(
            ["evidence", "attach", "\(project.lowercased())/gpu-echo@\(digest)", scanFile.path, "--type", "vulnerability-scan",
             "--key", directory.appending("signing.pem").path], log: "attach-scan.log")
        #expect(attached == 0, "\(attachLog)")

        // A candidate is checked before it exists.
        let releases = "/v1/projects/\(project)/releases"
        // The sources this build was compiled from, as a commit: the release's source SHA and
        // what the contract-drift report checks.
        let checkout = directory.appending("checkout")
        let sourceSha = try await CheckoutSnapshot.make(of: InstanceProcessTests.root, at: checkout, log: directory.appending("snapshot.log"))
        let report = try await contractReport(directory, checkout: checkout)
        try await refused(developer, .POST, releases, ["environment": "moon", "artifacts": [digest], "sourceSha": sourceSha, "branch": "main"],
                          400, "release.invalid", "an unknown environment")
        try await refused(developer, .POST, releases, ["environment": "production", "artifacts": [digest], "sourceSha": "abc", "branch": "main"],
                          400, "release.invalid", "a source SHA that is not 40 hex")
        try await refused(developer, .POST, releases,
                          ["environment": "production", "artifacts": ["sha256:" + String(repeating: "ab", count: 32)], "sourceSha": sourceSha, "branch": "main"],
                          404, "artifacts.not_found", "an artifact the project does not have")
        let release = try await json(Release.self, developer, .POST, releases,
                                     ["environment": "production", "artifacts": [digest], "sourceSha": sourceSha, "branch": "main"], expect: 201)
        #expect(release.state == .candidate && release.evidence.map(\.type) == ["release-candidate"], "\(release)")
        let path = "\(releases)/\(release.id)"

        // Missing evidence, listed per gate.
        let empty = try await json(ReleaseDecision.self, developer, .GET, "\(path)/gates")
        #expect(!empty.passed && empty.gates.map(\.gate) == ReleaseGate.allCases, "\(empty)")
        for (gate, missing) in [
            (ReleaseGate.contractDrift, ["missing contract_drift (contract-drift)"]),
            (.uatAutomation, ["missing uat_result (uat-result)", "missing pipeline_links (pipeline-links)"]),
            (.securityEvidence, ["missing security_scan (security-scan)"]),
            (.environmentProfile, ["missing migration_status (migration-status)", "missing deploy_smoke (deploy-smoke)"]),
            (.capacityReserve, ["missing capacity_posture (capacity-posture)"]),
            (.approvalResidualRisk, ["missing approvals (approval)", "missing residual_risk (residual-risk)", "missing rollback_plan (rollback-plan)"]),
        ] {
            let result = try #require(empty.gates.first { $0.gate == gate })
            #expect(!result.passed, "\(gate)")
            for line in missing {
                #expect(result.missing.contains { $0.contains(line) }, "\(gate) should list \(line): \(result.missing)")
            }
        }

        // Statements: forged, tampered, about another artifact, or not matching their schema are refused.
        let predicateTypes = try await evidencePredicateTypes(developer)
        func statement(_ type: String, _ predicate: Any, subject: String = digest, key: SigningPrivateKey = signingKey) throws -> String {
            try envelope(predicateType: try #require(predicateTypes[type], "\(type) in the registry"), predicate: predicate,
                         subjects: [(name: "\(project.lowercased())/gpu-echo", digest: subject)], key: key)
        }
        let sarif: [String: Any] = [
            "version": "2.1.0",
            "runs": [["tool": ["driver": ["name": "example-scanner", "rules": [["id": "EX001", "properties": ["security-severity": "3.1"]]]]],
                      "results": [["ruleId": "EX001", "level": "note", "message": ["text": "server banner names its version"]]]]],
        ]
        let evidence = "\(path)/evidence"
        try await refused(developer, .POST, evidence, ["type": "security-scan", "envelope": try statement("security-scan", sarif, key: SigningPrivateKey())],
                          403, nil, "a statement signed by a key the project does not trust",
                          codes: ["artifacts.signature_key_unknown", "artifacts.signature_invalid"])
        try await refused(developer, .POST, evidence, ["type": "security-scan", "envelope": try tampered(try statement("security-scan", sarif))],
                          403, "artifacts.signature_invalid", "a statement changed after it was signed")
        try await refused(developer, .POST, evidence,
                          ["type": "security-scan", "envelope": try statement("security-scan", sarif, subject: "sha256:" + String(repeating: "cd", count: 32))],
                          403, "artifacts.signature_subject_mismatch", "a statement about another artifact")
        try await refused(developer, .POST, evidence,
                          ["type": "security-scan", "envelope": try statement("security-scan", ["scanner": "example", "summary": ["highest": "none"]])],
                          422, "evidence.invalid", "a scan that only claims a result")
        try await refused(developer, .POST, evidence,
                          ["type": "deploy-smoke", "envelope": try statement("deploy-smoke", ["result": "ready"])],
                          400, "evidence.type_unknown", "platform-made evidence attached by hand")

        // The developer's own evidence, signed with the key they registered.
        let attachedScan = try await json(ReleaseEvidence.self, developer, .POST, evidence,
                                          ["type": "security-scan", "envelope": try statement("security-scan", sarif)], expect: 201)
        #expect(attachedScan.facts["highest_severity"] == "low" && !attachedScan.platformMade, "\(attachedScan)")
        for (type, predicate) in [
            ("uat-result", ["suite": "gpu-echo acceptance", "total": 12, "passed": 12, "failed": 0] as [String: Any]),
            ("residual-risk", ["class": "high", "statement": "The echo endpoints take unauthenticated input; they only echo it back."]),
            ("rollback-plan", ["strategy": "rollback", "steps": ["promote the previous release again"]]),
            ("pipeline-links", ["links": [["name": "build", "url": "https://ci.example.com/builds/42"]]]),
        ] {
            _ = try await json(ReleaseEvidence.self, developer, .POST, evidence, ["type": type, "envelope": try statement(type, predicate)], expect: 201)
        }

        // Platform-made evidence: contract drift from the checkout's report, migrations, capacity, a staging smoke.
        for (kind, body) in [("contract-drift", ["kind": "contract-drift", "report": report]),
                             ("migration-status", ["kind": "migration-status"]), ("capacity-posture", ["kind": "capacity-posture"])] {
            let made = try await json(ReleaseEvidence.self, developer, .POST, "\(evidence)/platform", body, expect: 201)
            #expect(made.type == kind && made.platformMade, "\(made)")
        }
        let smoke = try await json(ReleaseEvidence.self, developer, .POST, "\(path)/smoke", ["app": "gpu-echo"], expect: 201)
        #expect(smoke.type == "deploy-smoke" && smoke.platformMade && smoke.facts["result"] == "ready"
                && smoke.facts["environment"] == "staging", "\(smoke)")
        let correlation = try #require(smoke.facts["correlationId"], "\(smoke)")

        // Everything but the approval passes now.
        let unapproved = try await json(ReleaseDecision.self, developer, .GET, "\(path)/gates")
        for result in unapproved.gates {
            #expect(result.passed == (result.gate != .approvalResidualRisk), "\(result.gate): \(result.missing)")
        }

        // The developer may neither approve nor promote; platform control cannot promote without an approval.
        try await refused(developer, .POST, "\(path)/approve", ["role": "reviewer", "comment": "looks good to me"],
                          403, "release.self_approval", "the release's creator, attacher and key owner approving")
        try await refused(developer, .POST, "\(path)/promote", nil, 403, "iam.forbidden", "a project key promoting a release")
        try await refused(developer, .POST, "/v1/projects/\(project)/artifacts/\(digest)/promote", ["to": "promoted:production"],
                          403, "iam.forbidden", "a project key promoting an artifact to production")
        try await refused(control, .POST, "/v1/projects/\(project)/artifacts/\(digest)/promote", ["to": "promoted:production"],
                          409, "release.decision_required", "platform control promoting an artifact no passing release covers")
        let blocked = try await call(control, .POST, "\(path)/promote", nil)
        #expect(blocked.0 == 409 && blocked.1.contains("release.gates_failed") && blocked.1.contains("approval-residual-risk"),
                "promotion before an approval: \(blocked)")

        // A distinct reviewer unlocks it; platform control promotes.
        let approved = try await json(Release.self, reviewer, .POST, "\(path)/approve",
                                      ["role": "reviewer", "comment": "UAT, scan and rollback plan reviewed"])
        #expect(approved.approvals.map(\.role) == [.reviewer], "\(approved.approvals)")
        // The residual-risk class is high: a reviewer's approval is not enough, and a reviewer
        // cannot approve as security owner; the security owner can.
        let reviewed = try await json(ReleaseDecision.self, reviewer, .GET, "\(path)/gates")
        let riskGate = try #require(reviewed.gates.first { $0.gate == .approvalResidualRisk })
        #expect(!reviewed.passed && riskGate.missing == ["residual-risk class high needs a security-owner approval"], "\(riskGate)")
        try await refused(reviewer, .POST, "\(path)/approve", ["role": "security-owner", "comment": "risk accepted"],
                          403, "iam.forbidden", "a reviewer approving as security owner")
        let secured = try await json(Release.self, securityOwner, .POST, "\(path)/approve",
                                     ["role": "security-owner", "comment": "residual risk accepted: echo only"])
        #expect(Set(secured.approvals.map(\.role)) == [.reviewer, .securityOwner], "\(secured.approvals)")
        let passing = try await json(ReleaseDecision.self, reviewer, .GET, "\(path)/gates")
        #expect(passing.passed && passing.gates.allSatisfy(\.passed), "\(passing.gates.filter { !$0.passed })")
        let promoted = try await json(Release.self, control, .POST, "\(path)/promote")
        #expect(promoted.state == .promoted, "\(promoted)")
        let decision = try #require(promoted.decision, "the promotion's decision")
        #expect(decision.passed && !decision.policySnapshot.isEmpty && !decision.inputDigests.isEmpty, "\(decision)")
        try await verifyDecision(decision, digest: digest, release: release.id, path: path, on: control)
        // Only the release's own envelopes are served by digest: not another blob of the store.
        try await refused(control, .GET, "\(path)/envelopes/\(digest)", nil, 404, "release.not_found", "the image digest is not an envelope of the release")
        let status = try await json(ArtifactStatus.self, developer, .GET, "/v1/projects/\(project)/artifacts/\(digest)")
        #expect(status.state == .promotedProduction, "\(status.state)")
        try await refused(control, .POST, "\(path)/promote", nil, 409, "release.state_invalid", "promoting a promoted release again")
        // The smoke's correlation id leads from the release to its launch and stop in the audit log.
        #expect(promoted.correlationIds.contains(correlation), "\(promoted.correlationIds) lacks \(correlation)")
        let correlated = Set(try await json([AuditRow].self, admin, .GET, "/v1/audit/records?correlation=\(correlation)&limit=100").map(\.action))
        #expect(correlated.isSuperset(of: ["apps.instance.launch", "apps.instance.stop"]) && !correlated.contains("release.create"),
                "records of the smoke's correlation id: \(correlated)")
        for (action, least) in [("release.create", 1), ("release.evidence.attach", 5), ("release.evidence.reject", 5),
                                ("release.approve.refuse", 2), ("release.approve", 2), ("release.decision", 2), ("release.promote", 1)] {
            let records = try await json([AuditRow].self, admin, .GET, "/v1/audit/records?action=\(action)&limit=100")
            #expect(records.count >= least, "\(action): \(records.count) records")
        }

        // It runs in production; then the developer's signing key is revoked.
        let launched = try await json(InstanceRecord.self, developer, .POST, "/v1/projects/\(project)/instances",
                                      ["app": "gpu-echo", "adapter": "local", "environment": "production", "gpus": "0"])
        let running = try await session.waitFor(launched.id, phases: ["ready", "failed"])
        #expect(running.phase == .ready, "\(running)")
        for key in try await json([TrustedKey].self, developer, .GET, "/v1/projects/\(project)/signingkeys") where key.status != .revoked {
            let (revoked, text) = try await call(developer, .POST, "/v1/projects/\(project)/signingkeys/\(key.id)/revoke", [:])
            #expect(revoked == 200, "revoking \(key.name): \(text)")
        }
        // The artifact is demoted to what its evidence still supports, audited; the instance is flagged.
        var demoted = status
        for _ in 0..<100 {
            demoted = try await json(ArtifactStatus.self, developer, .GET, "/v1/projects/\(project)/artifacts/\(digest)")
            if demoted.state != .promotedProduction { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(demoted.state == demoted.effectiveState && demoted.state != .promotedProduction, "recorded \(demoted.state), effective \(demoted.effectiveState)")
        let demotions = try await json([AuditRow].self, admin, .GET, "/v1/audit/records?action=artifacts.trust.demote&limit=10")
        #expect(demotions.contains { $0.target.contains(digest) }, "\(demotions)")
        var feed: [NotificationFeedItem] = []
        for _ in 0..<100 where !feed.contains(where: { $0.template == "artifact.demoted" }) {
            feed = try await json([NotificationFeedItem].self, developer, .GET, "/v1/notifications")
            try await Task.sleep(for: .milliseconds(100))
        }
        let notice = feed.first { $0.template == "artifact.demoted" }
        #expect(notice?.subject.contains("demoted from promoted:production") == true, "the project hears of it: \(feed.map(\.subject))")
        var flagged = running
        for _ in 0..<100 {
            flagged = try await json(InstanceRecord.self, developer, .GET, "/v1/projects/\(project)/instances/\(launched.id)")
            if flagged.trustFlag != nil { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        // The project's artifacts.quarantine_stops_instances is off by default: flagged, still running.
        #expect(flagged.trustFlag?.hasPrefix("artifact-untrusted") == true && flagged.phase == .ready,
                "the production instance is flagged: \(flagged)")
        let flags = try await json([AuditRow].self, admin, .GET, "/v1/audit/records?action=apps.instance.flag&limit=10")
        #expect(flags.contains { $0.target.contains(launched.id) }, "\(flags)")
        _ = try await call(developer, .POST, "/v1/projects/\(project)/instances/\(launched.id)/stop", [:])
        _ = try await session.waitFor(launched.id, phases: ["stopped", "failed"])
    }

    // MARK: - Helpers

    struct AuditRow: Decodable {
        var action: String
        var target: String
    }

    /// A project service account made by the admin.
    static func projectAccount(_ admin: Daemon, project: String, name: String, role: String) async throws -> ServiceAccount {
        try await json(ServiceAccount.self, admin, .POST, "/v1/projects/\(project)/serviceaccounts", ["name": name, "role": role], expect: 201)
    }

    /// The daemon as `account`, with a fresh key carrying `scopes`.
    static func keyed(_ admin: Daemon, account: ServiceAccount, scopes: [String]) async throws -> Daemon {
        let issued = try await json(IssuedKey.self, admin, .POST, "/v1/keys",
                                    ["serviceAccount": account.id, "scopes": scopes, "expiresInSeconds": 86_400], expect: 201)
        return Daemon(process: admin.process, base: admin.base, port: admin.port, key: issued.key, repository: admin.repository)
    }

    /// A call with a JSON body; the status and the body as text.
    static func call(_ daemon: Daemon, _ method: HTTPMethod, _ path: String, _ body: [String: Any]?) async throws -> (UInt, String) {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let (status, _, reply) = try await daemon.call(method, path, body: data, headers: data == nil ? [] : [("Content-Type", "application/json")])
        return (status, String(decoding: reply, as: UTF8.self))
    }

    /// A call that must answer `expect` (any 2xx when nil), decoded.
    static func json<T: Decodable>(_ type: T.Type, _ daemon: Daemon, _ method: HTTPMethod, _ path: String, _ body: [String: Any]? = nil,
                                   expect: UInt? = nil) async throws -> T {
        let (status, text) = try await call(daemon, method, path, body)
        let ok = expect.map { status == $0 } ?? (200..<300).contains(status)
        try #require(ok, "\(method) \(path) answered \(status): \(text)")
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            Issue.record("\(method) \(path): \(error) in \(text)")
            throw error
        }
    }

    /// A call that must be refused with `status` and `code` (or one of `codes`).
    static func refused(_ daemon: Daemon, _ method: HTTPMethod, _ path: String, _ body: [String: Any]?, _ status: UInt, _ code: String?,
                        _ what: String, codes: [String] = []) async throws {
        let (got, text) = try await call(daemon, method, path, body)
        let wanted = codes + (code.map { [$0] } ?? [])
        #expect((codes.isEmpty ? got == status : (400..<500).contains(got)) && wanted.contains { text.contains("\"\($0)\"") },
                "\(what): \(got) \(text)")
    }

    /// Evidence type id → predicate type, from the served evidence-type registry.
    static func evidencePredicateTypes(_ daemon: Daemon) async throws -> [String: String] {
        let (status, text) = try await call(daemon, .GET, "/v1/registries/evidence-type", nil)
        try #require(status == 200, "\(text)")
        let registry = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let types = try #require(registry["types"] as? [[String: Any]], "\(text)")
        return Dictionary(types.compactMap { entry in
            (entry["evidence_id"] as? String).flatMap { id in (entry["predicate_type"] as? String).map { (id, $0) } }
        }, uniquingKeysWith: { first, _ in first })
    }

    /// A DSSE envelope (JSON text) over an in-toto Statement v1 with `subjects`, signed by `key`.
    static func envelope(predicateType: String, predicate: Any, subjects: [(name: String, digest: String)], key: SigningPrivateKey) throws -> String {
        let statement: [String: Any] = [
            "_type": InTotoStatement.type,
            "subject": subjects.map { ["name": $0.name, "digest": ["sha256": String($0.digest.dropFirst("sha256:".count))]] },
            "predicateType": predicateType, "predicate": predicate,
        ]
        let payload = try JSONSerialization.data(withJSONObject: statement, options: [.sortedKeys])
        return String(decoding: try JSONEncoder().encode(DSSEEnvelope.sign(payload: payload, with: key)), as: UTF8.self)
    }

    /// The same envelope with its statement changed after signing: the scan's findings dropped.
    static func tampered(_ text: String) throws -> String {
        var envelope = try DSSEEnvelope.parse(Data(text.utf8))
        var statement = try #require(try JSONSerialization.jsonObject(with: envelope.payloadBytes()) as? [String: Any])
        var predicate = try #require(statement["predicate"] as? [String: Any])
        predicate["runs"] = [["tool": ["driver": ["name": "example-scanner"]], "results": [] as [Any]]]
        statement["predicate"] = predicate
        envelope.payload = try JSONSerialization.data(withJSONObject: statement, options: [.sortedKeys]).base64EncodedString()
        return String(decoding: try JSONEncoder().encode(envelope), as: UTF8.self)
    }

    /// `appctl contract check --json` run on the snapshot of this checkout: the report the contract-drift evidence is made from.
    static func contractReport(_ directory: TemporaryDirectory, checkout: URL) async throws -> String {
        let check = try ChildProcess(InstanceProcessTests.appctl, ["contract", "check", "--json", "--repo", checkout.path],
                                     environment: ["SDK_PYTHON_VENV": try GuideProcessTests.pythonSDKVenv()],
                                     outputPath: directory.appending("contract-check.log").path)
        let status = await check.wait(timeout: .seconds(180))
        let output = check.output
        try #require(status == 0, "appctl contract check: \(output)")
        let start = try #require(output.firstIndex(of: "{"), "\(output)")
        let end = try #require(output.lastIndex(of: "}"), "\(output)")
        return String(output[start...end])
    }

    /// The decision is a DSSE envelope signed by the platform's key over a SLSA verification
    /// summary about the release's artifacts, naming its policy snapshot and inputs.
    static func verifyDecision(_ decision: ReleaseDecision, digest: String, release: String, path: String, on daemon: Daemon) async throws {
        let key = try await json(PlatformEvidenceKey.self, daemon, .GET, "/v1/releases/platform-key")
        let served = try await json(SignedEnvelope.self, daemon, .GET,
                                    "\(path)/envelopes/\(try #require(decision.envelope, "a recorded decision"))")
        let envelope = DSSEEnvelope(payload: served.payload, payloadType: served.payloadType,
                                    signatures: served.signatures.map { DSSEEnvelope.Signature(keyid: $0.keyid, sig: $0.sig) })
        let payload = try envelope.payloadBytes()
        let publicKey = try SigningPublicKey(pem: key.publicKeyPEM)
        #expect(envelope.signatures.contains { signature in
            signature.keyid == key.keyId && Data(base64Encoded: signature.sig).map {
                publicKey.verifies($0, over: DSSEEnvelope.pae(payloadType: envelope.payloadType, payload: payload))
            } == true
        }, "the decision verifies against the platform key")
        let statement = try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])
        #expect(statement["predicateType"] as? String == "https://slsa.dev/verification_summary/v1", "\(statement)")
        let subjects = (statement["subject"] as? [[String: Any]] ?? []).compactMap { ($0["digest"] as? [String: String])?["sha256"] }
        #expect(subjects == [String(digest.dropFirst("sha256:".count))], "\(subjects)")
        let predicate = try #require(statement["predicate"] as? [String: Any])
        #expect(predicate["verificationResult"] as? String == "PASSED", "\(predicate)")
        #expect((predicate["resourceUri"] as? String)?.hasSuffix("/releases/\(release)") == true, "\(predicate)")
        #expect(((predicate["policy"] as? [String: Any])?["uri"] as? String)?.hasPrefix("platform://policy-snapshots/") == true, "\(predicate)")
        let inputs = (predicate["inputAttestations"] as? [[String: Any]] ?? []).compactMap { ($0["digest"] as? [String: String])?["sha256"] }
        #expect(inputs.count >= 10 && Set(inputs.map { "sha256:" + $0 }) == Set(decision.inputDigests),
                "every input named: \(inputs) vs \(decision.inputDigests)")
    }
}
