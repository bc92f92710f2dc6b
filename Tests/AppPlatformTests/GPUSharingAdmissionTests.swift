@testable import AppPlatform
import PlatformContracts
import RuntimeKit
import Testing

/// `resources.gpu.sharing` and `migProfile` become the typed request placement reads.
@Suite("GPU sharing at admission")
struct GPUSharingAdmissionTests {
    static func manifest(gpu: String) throws -> LaunchManifest {
        try LaunchManifest.parse("""
            apiVersion: platform/v1
            kind: App
            metadata: {name: gpu-app, version: 1.0.0}
            artifact: {reference: gpu-app:1.0.0}
            mode: service
            resources:
              gpu: \(gpu)
            """)
    }

    @Test("exclusive by default, shared and mig as the manifest says; the profile only with mig; --gpus N counts slices")
    func sharingModes() throws {
        let plain = try InstanceAdmission.gpuRequest(try Self.manifest(gpu: "{models: [h100], count: 2}"), override: nil)
        #expect(plain == GPURequest(model: "h100", count: 2, sharing: .exclusive))
        let shared = try InstanceAdmission.gpuRequest(try Self.manifest(gpu: "{models: [h100], count: 1, sharing: shared}"), override: nil)
        #expect(shared.sharing == .shared && shared.migProfile == nil)
        let mig = try InstanceAdmission.gpuRequest(try Self.manifest(gpu: "{models: [a100], count: 1, sharing: mig, migProfile: 1g.10gb}"), override: "3")
        #expect(mig == GPURequest(model: "a100", count: 3, sharing: .mig, migProfile: "1g.10gb"))
        #expect(throws: PlatformError(.instanceLaunchInvalid)) {
            try InstanceAdmission.gpuRequest(try Self.manifest(gpu: "{count: 1, sharing: mig}"), override: nil)
        }
    }
}
