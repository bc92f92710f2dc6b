import ArtifactRegistry
import Foundation
import Logging
import MeteringService
import PlatformContracts
import PlatformServer
import Testing

/// Registry storage is metered by a periodic sample: one `registry-storage-gib-hour` event per
/// project per sample interval, of the bytes its repositories hold × the interval's seconds.
@Suite("Registry storage sampler")
struct RegistryStorageSamplerTests {
    @Test("a sample records the project's stored bytes × interval seconds once per bucket; a re-sample in the bucket changes nothing",
          arguments: ServerBackend.enabled)
    func sampleMetersStoredBytesOncePerBucket(backend: ServerBackend) async throws {
        try await withRegistry(backend) { fixture in
            _ = try await fixture.pushImage(tag: "v1")
            let server = fixture.iam.server
            let bytes = try await server.registry.storedBytes(project: fixture.project.id)
            #expect(bytes > 0)
            let clock = Timestamp.now().millisecondsSinceEpoch
            let now = Timestamp(millisecondsSinceEpoch: clock - clock % 60_000 + 1_234)
            let sampler = RegistryStorageSampler(registry: server.registry, usage: server.usage, interval: .seconds(60), now: { now },
                                                 logger: Logger(label: "test"))
            let bucket = now.millisecondsSinceEpoch - 1_234
            let events = try await sampler.sample()
            #expect(events.map(\.id) == ["storage/\(fixture.project.id)/\(bucket)"])
            #expect(events.first?.quantity == bytes * 60)
            #expect(events.first?.tenant == fixture.project.tenantId && events.first?.unit == "registry-storage-gib-hour")
            #expect(events.first?.occurredAt == Timestamp(millisecondsSinceEpoch: bucket))

            // Another push in the same bucket: the bucket's sample stands (no conflict surfaces).
            _ = try await fixture.pushImage(tag: "v2")
            _ = try await sampler.sample()
            let stored = try await server.usage.events(project: fixture.project.id, source: "artifacts", idPrefix: "storage/")
            #expect(stored.map(\.quantity) == [bytes * 60])
            // The usage log counts it in the unit the price book prices.
            #expect(try await server.usage.total(project: fixture.project.id, unit: "registry-storage-gib-hour",
                                                 since: Timestamp(millisecondsSinceEpoch: bucket)) == bytes * 60)
        }
    }
}
