import Foundation
import PlatformContracts
import RegistryService
import Testing
@testable import EvidenceService

/// The release service over the shipped evidence-type registry and its JSON Schemas, as the
/// server composes it: the platform's own statements (candidate, approval, the on-request
/// kinds) keep the registry's shapes, and hand-made content is judged by the schemas.
@Suite("Releases over the shipped evidence registry")
struct ShippedRegistryReleaseTests {
    static let registryDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("manifests/platform")

    static func shippedValidator() throws -> EvidenceValidator {
        let set = try RegistrySet.load(RegistryFiles(directory: registryDirectory))
        return EvidenceValidator(types: set.evidenceTypes, schemas: set.evidenceSchemas)
    }

    @Test("platform-made statements validate against the shipped schemas and a full bundle passes", arguments: Backend.enabled)
    func platformStatementsKeepTheRegistryShapes(backend: Backend) async throws {
        try await withReleases(backend, validator: try Self.shippedValidator()) { world in
            let release = try await world.create()
            try await world.attachPassingBundle(release)
            let approved = try await world.service.approve(ReleaseApprovalRequest(comment: "reviewed"), release: release.id, in: project,
                                                           by: caller("reviewer"), requestID: nil)
            let platformTypes: [String] = approved.evidence.filter(\.platformMade).map(\.type)
            #expect(platformTypes.contains("approval") && platformTypes.contains("release-candidate"))
            let decision = try await world.service.evaluate(release: release.id, in: project, by: caller("platform-control"), record: true,
                                                            requestID: nil)
            #expect(decision.passed, "\(decision.gates.flatMap(\.missing))")
        }
    }

    @Test("the shipped schemas refuse a UAT result without a total, and a scan's severity is derived, not read from its summary",
          arguments: Backend.enabled)
    func shippedSchemasJudgeHandMadeContent(backend: Backend) async throws {
        try await withReleases(backend, validator: try Self.shippedValidator()) { world in
            let release = try await world.create()
            let error = await #expect(throws: PlatformError.self) {
                try await world.attach(release, "uat-result", ["suite": "checkout", "passed": 3, "failed": 0])
            }
            #expect(error?.code == .evidenceInvalid)
            let scan = try await world.attach(release, "security-scan", TestValidator.sarif(levels: ["error"], summary: "none"))
            #expect(scan.facts["highest_severity"] == "high")
            let decision = try await world.service.evaluate(release: release.id, in: project, by: caller("developer"), record: false, requestID: nil)
            #expect(decision.gates.first { $0.gate == .securityEvidence }?.missing == [
                "security-scan: highest severity high is blocking (critical, high)",
            ])
        }
    }
}
