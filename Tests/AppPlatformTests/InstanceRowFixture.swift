@testable import AppPlatform
import PlatformContracts
import RuntimeKit

/// A minimal accepted instance row for in-process tests.
enum InstanceRowFixture {
    static func row(id: String = "I", project: String = "P", gpuCount: Int = 0, mode: InstanceMode = .service) throws -> InstanceRow {
        let image = LaunchSpec.Image(repository: "p/app", manifestDigest: ContentDigest(sha256Bytes: [UInt8](repeating: 7, count: 32)))
        let spec = LaunchSpec(instanceId: id, project: project, app: "app", version: "1", mode: mode, image: image, command: ["run"])
        return InstanceRow(id: id, projectId: project, tenantId: "T", app: "app", version: "1", adapter: "memory", environment: "development",
                           mode: mode, image: "p/app@\(image.manifestDigest)", spec: spec, readiness: nil, gpuCount: gpuCount, endpoints: [:],
                           launchedBy: "u", now: "2027-01-15T08:00:00Z")
    }
}
