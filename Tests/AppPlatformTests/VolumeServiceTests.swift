@testable import AppPlatform
import InMemoryRuntimeAdapter
import PlatformContracts
import RuntimeKit
import Testing

/// Persistent volumes in process, on SQLite and PostgreSQL: create, list, delete, the
/// project's byte quota, the in-use refusal, and a launch that provisions and mounts the
/// volume its manifest names.
@Suite("Persistent volumes")
struct VolumeServiceTests {
    @Test("create, list and delete, audited; a duplicate name, a bad name and an adapter the server lacks are refused",
          arguments: FastTier.Database.enabled)
    func createListDelete(_ database: FastTier.Database) async throws {
        try await FastTier.with(database: database) { tier in
            let volumes = tier.service.volumes
            let created = try await volumes.create(in: FastTier.project, VolumeRequest(name: "data", sizeMiB: 64), by: FastTier.caller,
                                                   requestID: "req-vol-1")
            #expect(created.adapter == "local" && created.sizeMiB == 64 && created.mountedBy.isEmpty)
            #expect(tier.runtime.volumeStore.volumeIds == [created.id], "the adapter provisioned its storage")
            let audit = try #require(tier.audit.recorded("apps.volume.create").first)
            #expect(audit.target == "volume/\(created.id)" && audit.requestID == "req-vol-1" && audit.details["size_mib"] == "64")

            await Self.expectCode(.volumeExists) {
                _ = try await volumes.create(in: FastTier.project, VolumeRequest(name: "data", sizeMiB: 1), by: FastTier.caller, requestID: nil)
            }
            await Self.expectCode(.volumeInvalid) {
                _ = try await volumes.create(in: FastTier.project, VolumeRequest(name: "Bad_Name", sizeMiB: 1), by: FastTier.caller, requestID: nil)
            }
            await Self.expectCode(.volumeInvalid) {
                _ = try await volumes.create(in: FastTier.project, VolumeRequest(name: "zero", sizeMiB: 0), by: FastTier.caller, requestID: nil)
            }
            await Self.expectCode(.volumeInvalid) {
                _ = try await volumes.create(in: FastTier.project, VolumeRequest(name: "far", sizeMiB: 1, adapter: "slurm"), by: FastTier.caller,
                                             requestID: nil)
            }
            #expect(try await volumes.list(in: FastTier.project).map(\.name) == ["data"])

            try await volumes.delete(in: FastTier.project, name: "data", by: FastTier.caller, requestID: nil)
            #expect(try await volumes.list(in: FastTier.project).isEmpty)
            #expect(tier.runtime.volumeStore.volumeIds.isEmpty, "its data went with it")
            #expect(tier.audit.recorded("apps.volume.delete").first?.target == "volume/\(created.id)")
            await Self.expectCode(.volumeNotFound) {
                try await volumes.delete(in: FastTier.project, name: "data", by: FastTier.caller, requestID: nil)
            }
        }
    }

    @Test("provisioned sizes count against quota.volume_bytes, refused as apps.quota_exceeded naming the quota",
          arguments: FastTier.Database.enabled)
    func quotaCountsProvisionedBytes(_ database: FastTier.Database) async throws {
        let policy = TestPolicy.snapshot(["quota.volume_bytes": .integer(100 << 20)])
        try await FastTier.with(policy: policy, database: database) { tier in
            let volumes = tier.service.volumes
            _ = try await volumes.create(in: FastTier.project, VolumeRequest(name: "one", sizeMiB: 60), by: FastTier.caller, requestID: nil)
            do {
                _ = try await volumes.create(in: FastTier.project, VolumeRequest(name: "two", sizeMiB: 41), by: FastTier.caller, requestID: nil)
                Issue.record("a volume past the quota was created")
            } catch let error as PlatformError {
                #expect(error.code == .instanceQuotaExceeded && error.details["quota"] == "volume_bytes", "\(error)")
                #expect(error.details["used"] == String(60 << 20) && error.details["limit"] == String(100 << 20), "\(error)")
            }
            _ = try await volumes.create(in: FastTier.project, VolumeRequest(name: "two", sizeMiB: 40), by: FastTier.caller, requestID: nil)
            #expect(try await volumes.list(in: FastTier.project).map(\.name) == ["one", "two"])
        }
    }

    @Test("a launch provisions the persistent volume its manifest names and mounts it; the volume is in use until the instance ends",
          arguments: FastTier.Database.enabled)
    func launchProvisionsAndMounts(_ database: FastTier.Database) async throws {
        try await FastTier.with(database: database) { tier in
            try await tier.register(TestManifests.app("web") + Self.volumesYAML)
            try await tier.pushArtifact()
            let record = try await tier.launch("web")
            try await tier.waitFor(record.id, .ready)
            let listed = try await tier.service.volumes.list(in: FastTier.project)
            let cache = try #require(listed.first { $0.name == "cache" }, "the launch provisioned cache: \(listed)")
            #expect(listed.count == 1, "a scratch volume is not a project volume")
            #expect(cache.sizeMiB == 32 && cache.adapter == "local" && cache.mountedBy == [record.id])
            let provisioned = try #require(tier.audit.recorded("apps.volume.create").first)
            #expect(provisioned.details["provisioned_by"] == "instance/\(record.id)")
            await Self.expectCode(.volumeInUse) {
                try await tier.service.volumes.delete(in: FastTier.project, name: "cache", by: FastTier.caller, requestID: nil)
            }

            // A second launch mounts the same volume (no second provisioning).
            let again = try await tier.launch("web")
            try await tier.waitFor(again.id, .ready)
            #expect(tier.audit.recorded("apps.volume.create").count == 1)
            #expect(try await tier.service.volumes.list(in: FastTier.project).first?.mountedBy.sorted() == [record.id, again.id].sorted())

            for id in [record.id, again.id] {
                try await tier.stop(id)
                try await tier.advance(by: .seconds(1))
                try await tier.waitFor(id, .stopped)
            }
            try await tier.service.volumes.delete(in: FastTier.project, name: "cache", by: FastTier.caller, requestID: nil)
            #expect(try await tier.service.volumes.list(in: FastTier.project).isEmpty)
        }
    }

    @Test("a persistent volume of another adapter, or two volumes at one path, refuse the launch as volume.invalid")
    func launchRefusesWhatCannotMount() async throws {
        try await FastTier.with { tier in
            try await tier.register(TestManifests.app("web") + """
                volumes:
                  - name: a
                    mountPath: /same
                  - name: b
                    mountPath: /same

                """)
            try await tier.pushArtifact()
            await Self.expectCode(.volumeInvalid) { _ = try await tier.launch("web") }
            #expect(tier.audit.recorded("apps.instance.refuse").first?.details["code"] == "volume.invalid")
        }
    }

    static let volumesYAML = """
        volumes:
          - name: cache
            mountPath: /cache
            persistent: true
            sizeMiB: 32
          - name: tmp
            mountPath: /scratch
            sizeMiB: 8

        """

    static func expectCode(_ code: ErrorCode, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected \(code)", sourceLocation: sourceLocation)
        } catch let error as PlatformError {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
        }
    }
}

/// The fast tier's adapter keeps volumes as its twin does.
extension ControlledAdapter: RuntimeVolumeSupport {
    func provisionVolume(_ volume: RuntimeVolume) async throws { try await twin.provisionVolume(volume) }
    func removeVolume(_ volume: RuntimeVolume) async throws { try await twin.removeVolume(volume) }
}
