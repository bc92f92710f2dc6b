import Foundation
import LocalRuntimeAdapter
import PlatformContracts
import PlatformStore
import PlatformTestKit
import RuntimeKit
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 15, finding 4: a local instance was reachable around the connect proxy (host
/// network, uid 0). These run real runc instances and probe them from the host and from
/// another instance.
@Suite("Local adapter isolation (runc, netns, userns)", .serialized, .tags(.integration))
struct LocalAdapterIsolationTests {
    @Test("an instance answers only at its veth address: not on host loopback, not from another instance, and it cannot reach host services")
    func instanceIsReachableOnlyFromTheHostAtItsVethAddress() async throws {
        try await withIsolationFixture { fixture in
            let port = freeLocalPort()
            let a = try await fixture.start("ISO-A", "exec httpd -f -p \(port) -h /etc")
            let b = try await fixture.start("ISO-B", "trap 'exit 0' TERM; while true; do sleep 0.2; done")
            let seenA = try await fixture.running(a), seenB = try await fixture.running(b)
            let hostA = try #require(seenA.host), hostB = try #require(seenB.host)
            #expect(hostA.hasPrefix("169.254.") && hostB.hasPrefix("169.254.") && hostA != hostB, "\(hostA) \(hostB)")

            // The host (the connect proxy's side) reaches A at its veth address ...
            let answer = try await eventually { Probe.exchange(host: hostA, port: port, "GET /greeting HTTP/1.0\r\n\r\n") }
            #expect(answer.contains("hello from layer 2"), "\(answer)")
            // ... and not on its own loopback, where host-network instances used to answer.
            #expect(Probe.exchange(host: "127.0.0.1", port: port, "GET /greeting HTTP/1.0\r\n\r\n") == nil)

            // From inside B: A's address has no route; a host service on 0.0.0.0 is dropped at
            // B's veth; the same nc reaches A's server from inside A (so the tool works).
            let host = try Probe.Listener()
            defer { host.close() }
            let gatewayB = Probe.gateway(of: hostB)
            #expect(Probe.exchange(host: gatewayB, port: host.port, "") != nil, "the host service listens on every address, \(gatewayB) included")
            let toA = try await fixture.adapter.exec(b, command: ["/bin/busybox", "nc", "-w", "2", hostA, String(port)])
            #expect(toA.status != 0, "B reached A: \(toA)")
            let toHost = try await fixture.adapter.exec(b, command: ["/bin/busybox", "nc", "-w", "2", gatewayB, String(host.port)])
            #expect(toHost.status != 0, "B reached a host service on 0.0.0.0 through its veth: \(toHost)")
            let toHostLoopback = try await fixture.adapter.exec(b, command: ["/bin/busybox", "nc", "-w", "2", "127.0.0.1", String(host.port)])
            #expect(toHostLoopback.status != 0, "B's loopback is its own: \(toHostLoopback)")
            let control = try await fixture.adapter.exec(a, command: ["/bin/sh", "-c", "echo 'GET /greeting HTTP/1.0' | /bin/busybox nc -w 2 \(hostA) \(port)"])
            #expect(control.status == 0 && control.output.contains("hello from layer 2"), "\(control)")

            try await fixture.adapter.destroy(a)
            try await fixture.adapter.destroy(b)
        }
    }

    @Test("the instance's process runs as an unprivileged host uid under seccomp filter mode with no new privileges")
    func instanceRunsUnprivilegedUnderSeccomp() async throws {
        try await withIsolationFixture { fixture in
            let a = try await fixture.start("ISO-UID", "trap 'exit 0' TERM; echo serving; while true; do sleep 0.2; done")
            _ = try await fixture.running(a)
            // The app itself, not runc's init before its exec: it has written to the log.
            _ = try await eventually { () -> Bool? in
                let chunk = try? LogChunk.read(fixture.root.appendingPathComponent("ISO-UID/output.log").path, from: 0)
                return String(decoding: chunk?.data ?? [], as: UTF8.self).contains("serving") ? true : nil
            }
            let status = try await fixture.hostStatus(of: "ISO-UID")
            let uids = try #require(status["Uid"]).split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
            #expect(uids.count == 4 && uids.allSatisfy { $0 >= 1_000_000_000 }, "host Uid: \(uids)")
            let gids = try #require(status["Gid"]).split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
            #expect(gids.count == 4 && gids.allSatisfy { $0 >= 1_000_000_000 }, "host Gid: \(gids)")
            #expect(status["Seccomp"] == "2", "\(status["Seccomp"] ?? "-")")
            #expect(status["NoNewPrivs"] == "1")
            // The image reaches it through a folder other host users cannot search.
            let slot = try #require(fixture.slot(of: a))
            let folder = try FileManager.default.attributesOfItem(atPath: "/run/platformd/rootfs/\(slot)")
            #expect(((folder[.posixPermissions] as? Int) ?? 0o777) & 0o007 == 0, "\(folder)")
            // Inside, it is root of its own namespace, and a new namespace is refused by seccomp.
            let inside = try await fixture.adapter.exec(a, command: ["/bin/sh", "-c", "cat /proc/self/uid_map; /bin/busybox unshare -n true; echo unshare=$?"])
            #expect(inside.output.contains("unshare=") && !inside.output.contains("unshare=0"), "\(inside)")
            #expect(inside.output.split(separator: "\n").first?.split(whereSeparator: \.isWhitespace).map(String.init) == ["0", "\(uids[0])", "65536"],
                    "\(inside)")
            try await fixture.adapter.destroy(a)
        }
    }

    @Test("namespaces, veths and slots are gone after destroy, after a failed run, and after a restarted adapter releases")
    func instanceNetworkDoesNotLeak() async throws {
        try await withIsolationFixture { fixture in
            let a = try await fixture.start("ISO-LEAK", "trap 'exit 0' TERM; while true; do sleep 0.2; done")
            let address = try #require(try await fixture.running(a).host)
            let slot = try #require(fixture.slot(of: a))
            #expect(Probe.networkExists(slot: slot))
            // A restarted adapter re-attaches and still reports the veth address.
            let restarted = fixture.makeAdapter()
            let recovered = try await restarted.recover(a)
            #expect(try await restarted.inspect(recovered).host == address)
            try await restarted.stop(recovered, grace: .seconds(5))
            try await restarted.release(recovered)
            #expect(!Probe.networkExists(slot: slot), "released: namespace, veth and slot record removed")
            try await restarted.release(recovered)
            try await restarted.destroy(recovered)

            // A container runc cannot start ends at once and releases like any other.
            let broken = try await fixture.start("ISO-FAIL", command: ["/no/such/program"])
            let brokenSlot = try #require(fixture.slot(of: broken))
            let ended = try await fixture.waitTerminal(broken)
            #expect(ended.state != .exited(code: 0), "\(ended)")
            try await fixture.adapter.destroy(broken)
            #expect(!Probe.networkExists(slot: brokenSlot))
        }
    }
}

/// One adapter over a fresh root with the busybox test image; networks it made are reclaimed at the end.
struct IsolationFixture {
    let root: URL
    let blobs: FileSystemBlobStore
    let inventory: GPUInventory
    let image: LaunchSpec.Image
    let adapter: LocalRuntimeAdapter

    func makeAdapter() -> LocalRuntimeAdapter {
        LocalRuntimeAdapter(root: root, inventory: inventory, blobs: blobs, node: "localhost")
    }

    func spec(_ id: String, command: [String]) -> LaunchSpec {
        LaunchSpec(instanceId: id, project: "p1", app: "isolation", version: "1.0.0", mode: .service, image: image, command: command,
                   environment: ["PLATFORM_INSTANCE_ID": id])
    }

    func start(_ id: String, _ script: String) async throws -> RuntimeHandle {
        try await start(id, command: ["/bin/sh", "-c", script])
    }

    func start(_ id: String, command: [String]) async throws -> RuntimeHandle {
        let spec = spec(id, command: command)
        return try await adapter.start(spec, plan: try await adapter.plan(spec))
    }

    func running(_ handle: RuntimeHandle) async throws -> RuntimeObservation {
        try await wait(handle, adapter: adapter) { $0.state == .running }
    }

    func waitTerminal(_ handle: RuntimeHandle, adapter: LocalRuntimeAdapter? = nil) async throws -> RuntimeObservation {
        try await wait(handle, adapter: adapter ?? self.adapter) { $0.state.isTerminal }
    }

    func wait(_ handle: RuntimeHandle, adapter: LocalRuntimeAdapter, _ condition: (RuntimeObservation) -> Bool) async throws -> RuntimeObservation {
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        var seen = try await adapter.inspect(handle)
        while !condition(seen) {
            guard ContinuousClock.now < deadline else { throw ConformanceFailure(message: "\(handle.instanceId) stuck at \(seen)") }
            try await Task.sleep(for: .milliseconds(50))
            seen = try await adapter.inspect(handle)
        }
        return seen
    }

    /// The instance's slot, from the record in its folder.
    func slot(of handle: RuntimeHandle) -> Int? {
        let path = root.appendingPathComponent(handle.instanceId).appendingPathComponent("network.json").path
        guard let data = FileManager.default.contents(atPath: path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return object["slot"] as? Int
    }

    /// `/proc/<pid>/status` of the container's first process, as the host sees it.
    func hostStatus(of instance: String) async throws -> [String: String] {
        let state = try await HostCommand.run("runc", ["--root", root.appendingPathComponent("runc-state").path, "state", "platform-" + instance.lowercased()])
        let object = try JSONSerialization.jsonObject(with: Data(state.stdout.utf8)) as? [String: Any]
        let pid = try #require(object?["pid"] as? Int, "\(state)")
        let text = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }
}

func withIsolationFixture(_ body: (IsolationFixture) async throws -> Void) async throws {
    try await withTemporaryDirectory { directory async throws in
        let blobs = try FileSystemBlobStore(root: directory.url.appendingPathComponent("blobs"))
        let digest = try await TestImage.busybox(into: blobs, scratch: try makeFolder(directory.appending("image")))
        let root = directory.url.appendingPathComponent("runtime")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let inventory = GPUInventory(nodes: [GPUNode(name: "localhost", devices: [])])
        let fixture = IsolationFixture(root: root, blobs: blobs, inventory: inventory, image: .init(repository: "p1/busybox", manifestDigest: digest),
                                       adapter: LocalRuntimeAdapter(root: root, inventory: inventory, blobs: blobs, node: "localhost"))
        do {
            try await body(fixture)
        } catch {
            await cleanUp(root)
            throw error
        }
        await cleanUp(root)
    }
}

private func cleanUp(_ root: URL) async {
    let state = root.appendingPathComponent("runc-state").path
    if let listed = try? await HostCommand.run("runc", ["--root", state, "list", "-q"]) {
        for id in listed.stdout.split(whereSeparator: \.isNewline) {
            _ = try? await HostCommand.run("runc", ["--root", state, "delete", "--force", String(id)])
        }
    }
    await LocalRuntimeAdapter.reclaimNetworks(under: root)
}

/// Retries `body` for up to 10 s until it returns a value.
func eventually<T>(_ body: () -> T?) async throws -> T {
    for _ in 0..<200 {
        if let value = body() { return value }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw ConformanceFailure(message: "no answer within 10 s")
}
