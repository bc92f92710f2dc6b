import Foundation
import PlatformContracts
import RuntimeKit
#if canImport(Glibc)
import Glibc
#endif

/// The local adapter: runs an app's OCI image on this host under runc.
///
/// `start` unpacks the image from the content store once per digest (``ImageCache``), gives
/// the instance its own network namespace and unprivileged uid range (``InstanceNetwork``),
/// writes an OCI runtime bundle over the image (read-only root, tmpfs `/tmp` and `/run`, user
/// and network namespaces, seccomp, the instance's GPUs as device nodes and
/// `CUDA_VISIBLE_DEVICES`/`NVIDIA_VISIBLE_DEVICES`) and launches a detached shim
/// (`setsid -f sh`) that runs `runc run` and records the exit status in a file. The shim
/// outlives `platformd`, so a restarted server re-attaches from the handle: the exit file
/// says how it ended, `runc state` whether it still runs. Endpoints are reached at the
/// instance's veth address (``RuntimeObservation/host``), never on the host's loopback.
public struct LocalRuntimeAdapter: RuntimeAdapter, RuntimeExecSupport {
    /// What this adapter declares before any instance exists (the portal's matrix reads it).
    public static let declaredCapabilities = RuntimeAdapterCapabilities(
        name: "local",
        modes: ["interactive", "service", "job"],
        gpus: true,
        exec: true,
        portForward: false,
        recover: true
    )

    /// The fixed capabilities value.
    public var capabilities: RuntimeAdapterCapabilities { Self.declaredCapabilities }

    /// Handle format this adapter writes: 2 runs the instance in its own network and user
    /// namespaces (`network.json` in its folder); 1, read still, ran it on the host network.
    static let handleVersion = 2

    let root: URL
    let runc: String
    let inventory: GPUInventory
    let images: ImageCache
    let node: String
    /// The host's CDI spec (written at server start); `nil`: generated from the host per start.
    let cdi: CDISpec?

    /// Creates the adapter.
    /// - Parameters:
    ///   - root: where instance folders go (`<data>/runtime/local`).
    ///   - inventory: this host's GPUs; the adapter reserves devices on start and frees them on release.
    ///   - blobs: the platform's content store, where images are read from.
    ///   - runc: the runc binary (default: `runc` on `PATH`).
    ///   - cdi: the host's CDI spec for the inventory's GPUs (``NvidiaCDIGenerator``).
    public init(root: URL, inventory: GPUInventory, blobs: any BlobStore, node: String, runc: String? = nil, cdi: CDISpec? = nil) {
        self.root = root
        self.cdi = cdi
        self.inventory = inventory
        self.images = ImageCache(root: root.appendingPathComponent("images"), unpacker: RootfsUnpacker(blobs: blobs))
        self.node = node
        self.runc = runc ?? HostCommand.locate("runc") ?? "runc"
    }

    /// Whether runc, iproute2's `ip`, `iptables` and `unshare` are installed (the server refuses
    /// `local` launches with ``ErrorCode/runtimeAdapterUnavailable`` when not: an instance
    /// never runs without its own network).
    public var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: runc) && ["ip", "iptables", "iptables-restore", "unshare"].allSatisfy { HostCommand.locate($0) != nil }
    }

    public func validate(_ spec: LaunchSpec) throws(PlatformError) {
        guard !spec.command.isEmpty || !spec.args.isEmpty else { throw PlatformError(.runtimeSpecInvalid, "the local adapter needs a command or args") }
        if let unknown = spec.overrides.keys.sorted().first {
            throw PlatformError(.runtimeSpecInvalid, "the local adapter takes no override \"\(unknown)\"")
        }
        guard spec.gpus.count >= 0 else { throw PlatformError(.runtimeSpecInvalid, "a GPU count cannot be negative") }
        guard spec.nodes == 1 else { throw PlatformError(.runtimeSpecInvalid, "the local adapter runs an instance on one node, not \(spec.nodes)") }
        try spec.validateVolumes()
    }

    public func plan(_ spec: LaunchSpec) async throws -> PlacementPlan {
        try validate(spec)
        guard isAvailable else {
            throw PlatformError(.runtimeAdapterUnavailable, "runc, iproute2 (ip), iptables or unshare is not installed on this host")
        }
        let devices = try await inventory.placement(for: spec.gpus)
        return PlacementPlan(node: node, devices: devices, mayQueue: false,
                             summary: devices.isEmpty ? "\(node): no GPUs" : "\(node): GPUs \(devices.map { String($0.index) }.joined(separator: ","))")
    }

    public func start(_ spec: LaunchSpec, plan: PlacementPlan) async throws -> RuntimeHandle {
        try validate(spec)
        let allocation = try await inventory.allocate(instance: spec.instanceId, spec.gpus)
        let folder = InstanceFolder(root: root, instanceId: spec.instanceId)
        var network: InstanceNetwork?
        do {
            try FileTree.clearKeepingLog(folder.url)  // a restart's output follows the last run's
            try FileManager.default.createDirectory(at: folder.bundle, withIntermediateDirectories: true)
            let image = try await images.entry(for: spec.image.manifestDigest)
            let claimed = try await InstanceNetwork.claim(owner: folder.url.path)
            network = claimed
            try JSONEncoder().encode(claimed).write(to: folder.networkRecord)
            try await claimed.setUp(rootfs: image.rootfs)
            try await LocalVolumes.prepare(spec, root: root, rootfs: image.rootfs, network: claimed)
            var config = OCIRuntimeConfig.make(spec: spec, image: image.process, devices: allocation.devices, network: claimed)
            OCIRuntimeConfig.applyGPUs(try cdiEdits(for: allocation.devices).placed(inImage: image.rootfs), to: &config)
            config = try OCIRuntimeConfig.addingSecrets(config, spec: spec, source: try await LocalSecrets.materialize(spec, network: claimed))
            try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys]).write(to: folder.bundle.appendingPathComponent("config.json"))
            if !FileManager.default.fileExists(atPath: folder.log.path) { _ = FileManager.default.createFile(atPath: folder.log.path, contents: nil) }
            let shim = """
                exec </dev/null >>"$1/output.log" 2>&1
                echo $$ > "$1/shim.pid"
                date -u +%s%3N > "$1/started"
                "$2" --root "$3" run --keep --bundle "$1/bundle" "$4"
                status=$?
                \(OCIRuntimeConfig.oomCheck())
                echo $status > "$1/exit.tmp" && mv "$1/exit.tmp" "$1/exit"
                """
            let result = try await HostCommand.run(
                "setsid", ["-f", "/bin/sh", "-c", shim, "platform-shim", folder.url.path, runc, stateRoot.path, folder.containerId],
                timeout: .seconds(10))
            guard result.status == 0 else {
                throw PlatformError(.runtimeStartFailed, "could not start the runc shim: \(result.problem)")
            }
        } catch {
            await inventory.release(instance: spec.instanceId)
            if let network { await LocalVolumes.unmount(slot: network.slot) }
            if let network { await LocalSecrets.remove(network: network) }
            await network?.tearDown(owner: folder.url.path)
            FileTree.removeIfPresent(folder.url)
            throw error as? PlatformError ?? PlatformError(.runtimeStartFailed, "\(error)")
        }
        return RuntimeHandle(adapter: capabilities.name, version: Self.handleVersion, instanceId: spec.instanceId, fields: [
            "folder": folder.url.path, "container": folder.containerId, "node": node, "shared": spec.gpus.sharing == .shared ? "true" : "false", "sharing": spec.gpus.sharing.rawValue,
            "devices": String(decoding: try JSONEncoder().encode(allocation.devices), as: UTF8.self),
            "address": network?.instanceAddress ?? "",
        ])
    }

    public func inspect(_ handle: RuntimeHandle) async throws -> RuntimeObservation {
        let folder = try folder(of: handle)
        let devices = try devices(of: handle)
        // The address comes from the folder's record, never from the stored handle.
        var seen = RuntimeObservation(state: .pending(reason: "starting"), node: node, host: folder.network?.instanceAddress ?? "127.0.0.1",
                                      gpuIndices: devices.map(\.index), startedAt: folder.startedAt)
        // The shim is the supervisor: its exit file is the verdict, its being alive means the
        // container runs (reading two files is cheap enough for every poll of every instance).
        if let exit = folder.exitRecord {
            seen.state = folder.endState(code: exit.code)
            seen.finishedAt = exit.at
            return seen
        }
        if folder.shimAlive {
            seen.state = folder.startedAt == nil ? .pending(reason: "starting") : .running
            return seen
        }
        if folder.startedAt == nil, folder.age < 30 { return seen }
        // The shim may have written the exit file between the two looks above.
        if let exit = folder.exitRecord {
            seen.state = folder.endState(code: exit.code)
            seen.finishedAt = exit.at
            return seen
        }
        seen.state = .gone
        return seen
    }

    public func logs(_ handle: RuntimeHandle, from offset: Int64) async throws -> LogChunk {
        try LogChunk.read(try folder(of: handle).log.path, from: offset)
    }

    public func stop(_ handle: RuntimeHandle, grace: Duration) async throws {
        let folder = try folder(of: handle)
        _ = try await HostCommand.run(runc, ["--root", stateRoot.path, "kill", folder.containerId, "TERM"], timeout: .seconds(10))
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: grace)
        while clock.now < deadline {
            if try await inspect(handle).state.isTerminal { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        _ = try await HostCommand.run(runc, ["--root", stateRoot.path, "kill", "--all", folder.containerId, "KILL"], timeout: .seconds(10))
        for _ in 0..<100 {
            if try await inspect(handle).state.isTerminal { return }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    public func release(_ handle: RuntimeHandle) async throws {
        let folder = try folder(of: handle)
        await inventory.release(instance: handle.instanceId)
        _ = try? await HostCommand.run(runc, ["--root", stateRoot.path, "delete", "--force", folder.containerId], timeout: .seconds(10))
        if let network = folder.network, network.owner == folder.url.path { await LocalVolumes.unmount(slot: network.slot) }
        if let network = folder.network, network.owner == folder.url.path { await LocalSecrets.remove(network: network) }
        await folder.network?.tearDown(owner: folder.url.path)
        FileTree.removeIfPresent(folder.bundle)
    }

    public func destroy(_ handle: RuntimeHandle) async throws {
        let folder = try folder(of: handle)
        let state = try await inspect(handle).state
        if !state.isTerminal { try await stop(handle, grace: .seconds(5)) }
        try await release(handle)
        FileTree.removeIfPresent(folder.url)
    }


    public func recover(_ handle: RuntimeHandle) async throws -> RuntimeHandle {
        _ = try folder(of: handle)
        let devices = try devices(of: handle)
        let state = try await inspect(handle).state
        if !state.isTerminal, !devices.isEmpty {
            try await inventory.restore(GPUAllocation(instance: handle.instanceId, node: try handle.field("node"), devices: devices),
                                        sharing: handle.fields["sharing"].flatMap(GPUSharing.init(rawValue:)) ?? (handle.fields["shared"] == "true" ? .shared : .exclusive))
        }
        // A running instance keeps its namespace and slot (they outlive platformd); one that
        // ended while no server watched gives them back now.
        if state.isTerminal, let folder = try? folder(of: handle) { await folder.network?.tearDown(owner: folder.url.path) }
        return handle
    }

    public func exec(_ handle: RuntimeHandle, command: [String]) async throws -> ExecResult {
        let folder = try folder(of: handle)
        let result = try await HostCommand.run(runc, ["--root", stateRoot.path, "exec", folder.containerId] + command, timeout: .seconds(60))
        return ExecResult(status: result.status, output: result.stdout + result.stderr)
    }

    /// Tears down the namespaces, veths and slots of instances whose folders lie under
    /// `root`, whatever state they are in: for a data folder being removed after its server
    /// was killed (tests kill platformd with SIGKILL). Kill the containers first.
    public static func reclaimNetworks(under root: URL) async {
        await InstanceNetwork.reclaim(under: root.standardizedFileURL.path)
    }

    var stateRoot: URL { root.appendingPathComponent("runc-state") }

    func folder(of handle: RuntimeHandle) throws(PlatformError) -> InstanceFolder {
        try handle.require(adapter: capabilities.name, versions: 1...Self.handleVersion)
        // Paths and ids are derived from the instance id, never taken from the stored handle.
        let expected = InstanceFolder(root: root, instanceId: handle.instanceId)
        guard !handle.instanceId.isEmpty, handle.instanceId.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }), try handle.field("folder") == expected.url.path,
              try handle.field("container") == expected.containerId
        else {
            throw PlatformError(.runtimeHandleInvalid, "local handle of \(handle.instanceId) does not match its instance")
        }
        return expected
    }

    func devices(of handle: RuntimeHandle) throws -> [GPUDevice] {
        try JSONDecoder().decode([GPUDevice].self, from: Data((handle.fields["devices"] ?? "[]").utf8))
    }
}
