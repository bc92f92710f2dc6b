@testable import AppPlatform
import PlatformContracts
import RuntimeKit
import Testing

/// The guards of `appctl instance exec` before anything runs (the fast tier; the command
/// itself runs in `InstanceExecProcessTests` and the conformance suite, on real runc).
@Suite("Instance exec refusals")
struct InstanceExecRefusalTests {
    @Test("an adapter without exec is apps.exec_unsupported; a stopped instance is a phase conflict; an empty command or a bad deadline is a bad request; another project's instance is not found; none is audited")
    func refusals() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            let record = try await tier.launch("web")
            try await tier.waitFor(record.id, .ready)
            let exec = { (command: [String], timeout: Int?, project: Project) in
                _ = try await tier.service.exec(in: project, id: record.id, ExecRequest(command: command, timeoutSeconds: timeout),
                                                by: FastTier.caller, requestID: nil)
            }
            // The fast tier's adapter (the in-memory twin) has no exec.
            await expectCode(.instanceExecUnsupported) { try await exec(["/bin/true"], nil, FastTier.project) }
            await expectCode(.instanceExecUnsupported) {
                _ = try await tier.service.openTerminal(in: FastTier.project, id: record.id, command: ["/bin/sh"],
                                                        size: TerminalSize(rows: 24, columns: 80), by: FastTier.caller, requestID: nil)
            }
            await expectCode(.httpBadRequest) { try await exec([], nil, FastTier.project) }
            await expectCode(.httpBadRequest) { try await exec([""], nil, FastTier.project) }
            await expectCode(.httpBadRequest) { try await exec(["/bin/true"], 0, FastTier.project) }
            await expectCode(.httpBadRequest) { try await exec(["/bin/true"], 3601, FastTier.project) }
            await expectCode(.httpBadRequest) { try await exec(["/bin/echo", "a\u{0}b"], nil, FastTier.project) }
            let elsewhere = Project(id: "01JELSEWHERE00000000000000", tenantId: FastTier.project.tenantId, name: "other",
                                    createdAt: FastTier.project.createdAt)
            await expectCode(.instanceNotFound) { try await exec(["/bin/true"], nil, elsewhere) }

            _ = try await tier.stop(record.id)
            try await tier.advance(by: .seconds(1))
            try await tier.waitFor(record.id, .stopped)
            await expectCode(.instancePhaseConflict) { try await exec(["/bin/true"], nil, FastTier.project) }
            #expect(tier.audit.recorded("apps.instance.exec").isEmpty, "a refused exec ran nothing and records nothing")
        }
    }

    func expectCode(_ code: ErrorCode, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected \(code.rawValue), got success", sourceLocation: sourceLocation)
        } catch let error as PlatformError {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected \(code.rawValue), got \(error)", sourceLocation: sourceLocation)
        }
    }
}
