import Foundation
import InMemoryRuntimeAdapter
import PlatformContracts
import RuntimeKit
import Testing

/// The volume promises of the adapter contract, on every adapter: a persistent volume's data
/// outlives the instance that wrote it, a scratch volume is limited to its size, and a
/// read-only mount refuses writes.
extension AdapterConformanceTests {
    @Test("a persistent volume is writable and its data survives into the next instance", arguments: AdapterKind.allCases)
    func persistentVolumeOutlivesItsInstance(_ kind: AdapterKind) async throws {
        let fixture = try await ConformanceEnvironment.fixture(kind)
        let storage = try #require(fixture.adapter as? any RuntimeVolumeSupport, "\(kind) keeps persistent volumes")
        let volume = RuntimeVolume(project: "p1", id: "VOLCONF\(kind.rawValue.uppercased())", sizeMiB: 16)
        try await storage.provisionVolume(volume)
        let mount = VolumeMount(name: "data", mountPath: "/data", kind: .persistent, sizeMiB: 16, volumeId: volume.id)

        var writer = fixture.spec("CONF-VOL-W", .volumeWrite(path: "/data/note", text: "persisted-\(kind.rawValue)"))
        writer.volumes = [mount]
        let (written, wrote) = try await startAndWait(fixture.adapter, writer)
        #expect(wrote.state == .exited(code: 0), "\(wrote)")
        let writeLog = try await allLogs(fixture.adapter, written)
        #expect(writeLog.contains("wrote /data/note"), "\(writeLog)")
        try await fixture.adapter.destroy(written)

        var reader = fixture.spec("CONF-VOL-R", .volumeRead(path: "/data/note"))
        reader.volumes = [mount]
        let (read, ended) = try await startAndWait(fixture.adapter, reader)
        #expect(ended.state == .exited(code: 0), "\(ended)")
        let readLog = try await allLogs(fixture.adapter, read)
        #expect(readLog.contains("read /data/note: persisted-\(kind.rawValue)"), "\(readLog)")
        try await fixture.adapter.destroy(read)
        try await storage.removeVolume(volume)
    }

    @Test("a scratch volume is limited to its size: writing past it fails with ENOSPC", arguments: AdapterKind.allCases)
    func scratchVolumeIsLimited(_ kind: AdapterKind) async throws {
        let fixture = try await ConformanceEnvironment.fixture(kind)
        var spec = fixture.spec("CONF-VOL-S", .volumeFill(path: "/scratch/fill", mib: 8))
        spec.volumes = [VolumeMount(name: "scratch", mountPath: "/scratch", kind: .scratch, sizeMiB: 4)]
        let (handle, ended) = try await startAndWait(fixture.adapter, spec)
        #expect(ended.state == .exited(code: 0), "\(ended)")
        let text = try await allLogs(fixture.adapter, handle)
        #expect(text.contains("enospc /scratch/fill"), "\(text)")
        try await fixture.adapter.destroy(handle)

        var small = fixture.spec("CONF-VOL-S2", .volumeFill(path: "/scratch/fill", mib: 2))
        small.volumes = spec.volumes
        let (fitted, fitEnded) = try await startAndWait(fixture.adapter, small)
        #expect(fitEnded.state == .exited(code: 0), "\(fitEnded)")
        let fitText = try await allLogs(fixture.adapter, fitted)
        #expect(fitText.contains("fits /scratch/fill"), "\(fitText)")
        try await fixture.adapter.destroy(fitted)
    }

    @Test("a read-only volume refuses writes", arguments: AdapterKind.allCases)
    func readOnlyVolumeRefusesWrites(_ kind: AdapterKind) async throws {
        let fixture = try await ConformanceEnvironment.fixture(kind)
        let storage = try #require(fixture.adapter as? any RuntimeVolumeSupport)
        let volume = RuntimeVolume(project: "p1", id: "VOLCONFRO\(kind.rawValue.uppercased())", sizeMiB: 8)
        try await storage.provisionVolume(volume)
        var spec = fixture.spec("CONF-VOL-RO", .volumeWrite(path: "/ro/note", text: "nope"))
        spec.volumes = [VolumeMount(name: "ro", mountPath: "/ro", readOnly: true, kind: .persistent, sizeMiB: 8, volumeId: volume.id),
                        VolumeMount(name: "rw", mountPath: "/rw", kind: .scratch, sizeMiB: 1)]
        let (handle, ended) = try await startAndWait(fixture.adapter, spec)
        #expect(ended.state == .exited(code: 0), "\(ended)")
        let text = try await allLogs(fixture.adapter, handle)
        #expect(text.contains("refused /ro/note"), "\(text)")
        try await fixture.adapter.destroy(handle)
        try await storage.removeVolume(volume)
    }

    @Test("validate refuses an unresolved persistent volume and a mount over /proc", arguments: AdapterKind.allCases)
    func validateRefusesBadVolumes(_ kind: AdapterKind) async throws {
        let fixture = try await ConformanceEnvironment.fixture(kind)
        var unresolved = fixture.spec("CONF-VOL-BAD", .greetAndExit(code: 0))
        unresolved.volumes = [VolumeMount(name: "data", mountPath: "/data", kind: .persistent)]
        #expect(throws: PlatformError.self) { try fixture.adapter.validate(unresolved) }
        var overProc = fixture.spec("CONF-VOL-BAD2", .greetAndExit(code: 0))
        overProc.volumes = [VolumeMount(name: "x", mountPath: "/proc/x", kind: .scratch, sizeMiB: 1)]
        #expect(throws: PlatformError.self) { try fixture.adapter.validate(overProc) }
    }
}

extension AdapterFixture {
    /// The twin's form of the volume workloads: `volume|write|PATH|TEXT`, `volume|read|PATH`,
    /// `volume|fill|PATH|MIB` (see ``ConformanceEnvironment``'s memory fixture).
    static func memoryVolumeSteps(_ workload: String) -> [InMemoryVolumeStep] {
        let parts = workload.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 3 else { return [] }
        switch parts[1] {
        case "write": return [.write(path: parts[2], text: parts.count > 3 ? parts[3] : "")]
        case "read": return [.read(path: parts[2])]
        case "fill": return [.fill(path: parts[2], mib: Int(parts.count > 3 ? parts[3] : "0") ?? 0)]
        default: return []
        }
    }
}
