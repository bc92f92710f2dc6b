@testable import AppPlatform
import ManifestKit
import PlatformContracts
import RegistryService
import Foundation
import InMemoryRuntimeAdapter
import Testing

/// Every refusal admission can give, in process: each has its own code, writes no instance
/// and is audited as `apps.instance.refuse` with that code.
@Suite("Admission refusals")
struct AdmissionRefusalTests {
    /// Launches `app` expecting a refusal with `code`; checks nothing was admitted and the audit.
    static func expectRefusal(_ tier: FastTier, _ code: ErrorCode, app: String = "web", params: [String: String]? = nil,
                              environment: String? = nil, gpus: String? = nil, adapter: String? = nil,
                              sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        let before = tier.audit.recorded("apps.instance.refuse").count
        do {
            let record = try await tier.launch(app, params: params, environment: environment, gpus: gpus, adapter: adapter)
            Issue.record("admitted \(record.id) instead of refusing with \(code.rawValue)", sourceLocation: sourceLocation)
        } catch let error as PlatformError {
            #expect(error.code == code, "\(error.message)", sourceLocation: sourceLocation)
        }
        let refusals = tier.audit.recorded("apps.instance.refuse")
        #expect(refusals.count == before + 1, sourceLocation: sourceLocation)
        #expect(refusals.last?.details["code"] == code.rawValue && refusals.last?.outcome == .denied, sourceLocation: sourceLocation)
        #expect(try await tier.service.list(in: FastTier.project).isEmpty, "a refusal writes no instance", sourceLocation: sourceLocation)
        #expect(tier.runtime.instanceIds.isEmpty, "a refusal starts nothing", sourceLocation: sourceLocation)
    }

    @Test("an app the catalog does not have is refused apps.app_not_found")
    func unknownAppIsRefused() async throws {
        try await FastTier.with { tier in
            try await Self.expectRefusal(tier, .appNotFound, app: "nowhere")
        }
    }

    @Test("a registered manifest that no longer validates against today's registries is refused manifest invalid")
    func manifestThatNoLongerValidatesIsRefused() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("web", launchScopes: ["apps:instance:launch", "apps:node:read"]))
            try await tier.pushArtifact()
            // Today's scope registry no longer has apps:node:read.
            let files = try FastTier.registryFiles()
            var context = ManifestContext(scopes: try files.scopes(), usageUnits: try files.usageUnits(),
                                          artifactTypes: try files.artifactTypes(), gpuModels: try files.gpuModels())
            context.scopes.remove("apps:node:read")
            try await tier.restart(validator: ManifestValidator(schema: try JSONSchema(data: try files.manifestSchema()), context: context))
            try await Self.expectRefusal(tier, .manifestInvalid)
        }
    }

    @Test("a launch scope the manifest requires and the caller lacks is refused iam.forbidden")
    func missingLaunchScopeIsRefused() async throws {
        try await FastTier.with(deniedScopes: ["apps:node:read"]) { tier in
            try await tier.register(TestManifests.app("web", launchScopes: ["apps:instance:launch", "apps:node:read"]))
            try await tier.pushArtifact()
            try await Self.expectRefusal(tier, .iamForbidden)
        }
    }

    @Test("invalid launches are refused apps.launch_invalid: parameters, GPUs, environment, adapter")
    func invalidLaunchesAreRefused() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            try await Self.expectRefusal(tier, .instanceLaunchInvalid, params: ["colour": "red"])
            try await Self.expectRefusal(tier, .instanceLaunchInvalid, params: ["size": "large"])
            // A value outside the manifest's enum is refused like a wrong type (the console's select is not the check).
            try await Self.expectRefusal(tier, .instanceLaunchInvalid, params: ["tier": "huge"])
            try await Self.expectRefusal(tier, .instanceLaunchInvalid, gpus: "h100:1:2")
            try await Self.expectRefusal(tier, .instanceLaunchInvalid, gpus: "65")
            try await Self.expectRefusal(tier, .instanceLaunchInvalid, environment: "moon")
            try await Self.expectRefusal(tier, .instanceLaunchInvalid, adapter: "slurm")
        }
    }

    @Test("an adapter that cannot plan now is refused runtime.adapter_unavailable")
    func unavailableAdapterIsRefused() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            tier.adapter.failPlans(with: PlatformError(.runtimeAdapterUnavailable, "the runtime does not answer"))
            try await Self.expectRefusal(tier, .runtimeAdapterUnavailable)
        }
    }

    @Test("an artifact that is absent or below the environment's trust is refused apps.artifact_untrusted")
    func untrustedArtifactIsRefused() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("web"))
            try await Self.expectRefusal(tier, .instanceArtifactUntrusted)
            #expect(tier.audit.recorded("apps.instance.refuse").last?.details["message"]?.contains("not in the registry") == true)
            try await tier.pushArtifact()
            try await Self.expectRefusal(tier, .instanceArtifactUntrusted, environment: "production")
            #expect(tier.audit.recorded("apps.instance.refuse").last?.details["message"]?.contains("is registered; production requires promoted:production") == true)
            // The same app, one rung above what the artifact has, in development too.
            try await tier.register(TestManifests.app("strict", requiredTrust: "verified"))
            try await Self.expectRefusal(tier, .instanceArtifactUntrusted, app: "strict")
        }
    }

    @Test("a trust state that cannot be read refuses (fail closed)")
    func unreadableTrustFailsClosed() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            tier.signingKeys.failing = true
            try await Self.expectRefusal(tier, .instanceArtifactUntrusted)
            #expect(tier.audit.recorded("apps.instance.refuse").last?.details["message"]?.contains("cannot be read") == true)
        }
    }

    @Test("a launch over the project's quota is refused apps.quota_exceeded")
    func quotaIsEnforced() async throws {
        try await FastTier.with(policy: TestPolicy.snapshot(["quota.concurrent_instances": .integer(1)])) { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            let first = try await tier.launch("web")
            try await tier.waitFor(first.id, .ready)
            let before = tier.audit.recorded("apps.instance.refuse").count
            await #expect(throws: PlatformError.self) { try await tier.launch("web") }
            #expect(tier.audit.recorded("apps.instance.refuse").dropFirst(before).map { $0.details["code"] } == [ErrorCode.instanceQuotaExceeded.rawValue])
            #expect(try await tier.service.list(in: FastTier.project).map(\.id) == [first.id])
        }
    }

    @Test("placement the runtime can never satisfy (capacity, GPUs) is refused runtime.placement_unsatisfiable")
    func unsatisfiablePlacementIsRefused() async throws {
        try await FastTier.with(gpus: 1) { tier in
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            try await Self.expectRefusal(tier, .runtimePlacementUnsatisfiable, params: ["behaviour": "full"])
            try await Self.expectRefusal(tier, .runtimePlacementUnsatisfiable, gpus: "2")
        }
    }
}
