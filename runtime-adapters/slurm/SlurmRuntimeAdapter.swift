import Foundation
import PlatformContracts
import RuntimeKit
import Synchronization

/// The Slurm adapter: one batch job per instance.
///
/// `start` unpacks the image once per digest into the adapter's image cache (on a file
/// system the compute nodes share), renders `job.sbatch.tmpl` and submits it with `sbatch --parsable`
/// (`--gres=gpu:TYPE:N` from the manifest). `inspect` asks `scontrol show job -d -o`, which
/// knows the job until `MinJobAge` passes; after that the exit file the job script wrote
/// answers. Slurm's end states keep their meaning: OUT_OF_MEMORY, TIMEOUT, NODE_FAIL,
/// PREEMPTED and CANCELLED are distinct failure reasons, never "completed".
public struct SlurmRuntimeAdapter: RuntimeAdapter {
    /// What this adapter declares before any instance exists (the portal's matrix reads it).
    public static let declaredCapabilities = RuntimeAdapterCapabilities(
        name: "slurm",
        modes: ["interactive", "service", "job"],
        gpus: true,
        exec: false,
        portForward: false,
        recover: true
    )

    /// The fixed capabilities value.
    public var capabilities: RuntimeAdapterCapabilities { Self.declaredCapabilities }

    /// Handle format this adapter writes.
    static let handleVersion = 1

    /// Where the adapter finds Slurm and its files.
    public struct Configuration: Sendable {
        /// Instance folders, on a file system the compute nodes see at the same path.
        public var root: URL
        /// `job.sbatch.tmpl`.
        public var template: URL
        /// `SLURM_CONF` for the client commands, when not the system default.
        public var slurmConf: String?
        /// The partition when the manifest names none.
        public var defaultPartition: String?
        /// The bubblewrap binary on the compute nodes.
        public var bwrap: String
        /// The CDI spec whose edits jobs with GPUs get (the server host's, written at start;
        /// nodes skip what they lack). `nil`: device nodes `/dev/nvidia<index>` only.
        public var cdi: CDISpec?

        /// Creates a configuration.
        public init(root: URL, template: URL, slurmConf: String? = nil, defaultPartition: String? = nil, bwrap: String = "/usr/bin/bwrap",
                    cdi: CDISpec? = nil) {
            self.root = root
            self.cdi = cdi
            self.template = template
            self.slurmConf = slurmConf
            self.defaultPartition = defaultPartition
            self.bwrap = bwrap
        }
    }

    let configuration: Configuration
    let images: ImageCache
    /// Node name → address; addresses do not change while a node is up, and asking
    /// `scontrol` on every look would add a process spawn to each inspect.
    let addresses = AddressBook()
    let nodeCache = NodeCache()

    /// Creates the adapter.
    public init(configuration: Configuration, blobs: any BlobStore) {
        self.configuration = configuration
        self.images = ImageCache(root: configuration.root.appendingPathComponent("images"), unpacker: RootfsUnpacker(blobs: blobs))
    }

    public func validate(_ spec: LaunchSpec) throws(PlatformError) {
        guard !spec.command.isEmpty || !spec.args.isEmpty else { throw PlatformError(.runtimeSpecInvalid, "the slurm adapter needs a command or args") }
        if let unknown = spec.overrides.keys.sorted().first(where: { $0 != "partition" }) {
            throw PlatformError(.runtimeSpecInvalid, "the slurm adapter takes only the override \"partition\", not \"\(unknown)\"")
        }
        if spec.gpuSharing == .shared, spec.gpus.count > 0 {
            throw PlatformError(.runtimeSpecInvalid, "Slurm gres GPUs are exclusive to a job; shared GPUs need the local adapter")
        }
        try spec.validateVolumes()
    }

    public func plan(_ spec: LaunchSpec) async throws -> PlacementPlan {
        try validate(spec)
        let partition = spec.overrides["partition"] ?? configuration.defaultPartition
        // A cached list that refuses is asked again: a node resumed a moment ago takes the job.
        let candidates: [SlurmNodeRecord]
        do {
            candidates = try Self.candidates(for: spec, among: try await self.nodes(partition: partition), partition: partition)
        } catch {
            let fresh = try await queryNodes(partition: partition)
            nodeCache.remember(partition ?? "", fresh)
            candidates = try Self.candidates(for: spec, among: fresh, partition: partition)
        }
        let gres = spec.gpus.count > 0 ? "gres gpu:\(spec.gpus.model.map { "\($0):" } ?? "")\(spec.gpus.count)" : "no GPUs"
        return PlacementPlan(node: nil, devices: [], mayQueue: true,
                             summary: "partition \(partition ?? "default"), \(gres), on \(candidates.map(\.name).joined(separator: " or "))")
    }

    public func start(_ spec: LaunchSpec, plan: PlacementPlan) async throws -> RuntimeHandle {
        try validate(spec)
        let folder = configuration.root.appendingPathComponent(spec.instanceId)
        do {
            try FileTree.clearKeepingLog(folder)  // a restart's output follows the last run's (sbatch appends)
            let image = try await images.entry(for: spec.image.manifestDigest)
            try await prepareVolumes(spec, rootfs: image.rootfs)
            let template = try String(contentsOf: configuration.template, encoding: .utf8)
            let script = try SlurmJobScript(template: template).render(
                spec: spec, folder: folder.path, rootfs: image.rootfs.path, image: image.process, bwrap: configuration.bwrap,
                partition: spec.overrides["partition"] ?? configuration.defaultPartition, cdi: configuration.cdi)
            let scriptFile = folder.appendingPathComponent("job.sbatch")
            try Data(script.utf8).write(to: scriptFile)
            try SlurmJobScript.stageSecrets(spec, folder: folder)
            let result = try await slurm("sbatch", ["--parsable", scriptFile.path])
            guard result.status == 0, let jobId = result.stdout.split(separator: ";").first.map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }),
                  !jobId.isEmpty, jobId.allSatisfy(\.isNumber)
            else {
                throw PlatformError(.runtimeStartFailed, "sbatch refused the job: \(result.problem)")
            }
            return RuntimeHandle(adapter: capabilities.name, version: Self.handleVersion, instanceId: spec.instanceId,
                                 fields: ["job": jobId, "folder": folder.path])
        } catch {
            FileTree.removeIfPresent(folder)
            if let error = error as? PlatformError { throw error }
            throw PlatformError(.runtimeStartFailed, "could not prepare the Slurm job: \(error)")
        }
    }

    public func inspect(_ handle: RuntimeHandle) async throws -> RuntimeObservation {
        let (job, folder) = try parts(of: handle)
        let result = try await slurm("scontrol", ["show", "job", "-d", "-o", job])
        if result.status == 0, let record = SlurmJobRecord(scontrolLine: result.stdout) {
            var seen = RuntimeObservation(state: record.runtimeState, node: record.node, gpuIndices: record.gpuIndices,
                                          startedAt: record.startedAt, finishedAt: record.finishedAt)
            if let node = record.node { seen.host = try? await address(of: node) }
            if case .pending = seen.state { seen.startedAt = nil }
            if !seen.state.isTerminal { seen.finishedAt = nil }
            return seen
        }
        let problem = result.problem
        guard result.status != 0, problem.contains("Invalid job id") || problem.isEmpty else {
            throw PlatformError(.runtimeCommandFailed, "scontrol show job \(job): \(problem)")
        }
        // Slurm has forgotten the job (MinJobAge passed): the job script's exit file is the record.
        let exitFile = folder.appendingPathComponent("exit")
        if let text = try? String(contentsOf: exitFile, encoding: .utf8), let code = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            let modified = (try? FileManager.default.attributesOfItem(atPath: exitFile.path)[.modificationDate] as? Date).map {
                Timestamp(millisecondsSinceEpoch: UInt64($0.timeIntervalSince1970 * 1000))
            }
            return RuntimeObservation(state: .exited(code: code), finishedAt: modified)
        }
        return RuntimeObservation(state: .gone)
    }

    public func logs(_ handle: RuntimeHandle, from offset: Int64) async throws -> LogChunk {
        try LogChunk.read(try parts(of: handle).folder.appendingPathComponent("output.log").path, from: offset)
    }

    public func stop(_ handle: RuntimeHandle, grace: Duration) async throws {
        let (job, _) = try parts(of: handle)
        let now = try await inspect(handle).state
        if now.isTerminal { return }
        if case .pending = now {
            // Nothing runs yet: a signal would be refused; cancel it outright.
            _ = try await slurm("scancel", [job])
            for _ in 0..<100 {
                if try await inspect(handle).state.isTerminal { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            return
        }
        let term = try await slurm("scancel", ["--batch", "--signal=TERM", job])
        if term.status != 0, !term.problem.contains("already completing or completed"), !term.problem.contains("Invalid job id") {
            throw PlatformError(.runtimeCommandFailed, "scancel \(job): \(term.problem)")
        }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: grace)
        while clock.now < deadline {
            let state = try await inspect(handle).state
            if state.isTerminal { return }
            if case .pending = state { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        _ = try await slurm("scancel", [job])
        for _ in 0..<100 {
            if try await inspect(handle).state.isTerminal { return }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    public func release(_ handle: RuntimeHandle) async throws {
        // The job holds nothing of the platform's: Slurm frees its gres, the image stays cached;
        // secrets a job never got to read are removed.
        SlurmJobScript.removeStagedSecrets(folder: try parts(of: handle).folder)
    }

    public func destroy(_ handle: RuntimeHandle) async throws {
        let folder = try parts(of: handle).folder
        let state = try await inspect(handle).state
        if !state.isTerminal { try await stop(handle, grace: .seconds(5)) }
        FileTree.removeIfPresent(folder)
    }


    public func recover(_ handle: RuntimeHandle) async throws -> RuntimeHandle {
        _ = try parts(of: handle)
        _ = try await inspect(handle)
        return handle
    }

    /// Every node (of `partition`) with its GPUs by type, remembered for ten seconds: node
    /// capacity changes rarely, and two `sinfo`/`scontrol` spawns per launch are most of
    /// the time a launch spends before `sbatch`.
    func nodes(partition: String?) async throws -> [SlurmNodeRecord] {
        if let known = nodeCache.lookup(partition ?? "") { return known }
        let nodes = try await queryNodes(partition: partition)
        nodeCache.remember(partition ?? "", nodes)
        return nodes
    }

    func queryNodes(partition: String?) async throws -> [SlurmNodeRecord] {
        var names: Set<String>?
        if let partition {
            let result = try await slurm("sinfo", ["--noheader", "--Node", "--partition=\(partition)", "--format=%N"])
            guard result.status == 0 else { throw PlatformError(.runtimeSpecInvalid, "Slurm partition \(partition): \(result.problem)") }
            names = Set(result.stdout.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) })
            if names?.isEmpty == true { throw PlatformError(.runtimeSpecInvalid, "Slurm has no partition \(partition)") }
        }
        let result = try await slurm("scontrol", ["show", "node", "-d", "-o"])
        guard result.status == 0 else { throw PlatformError(.runtimeAdapterUnavailable, "scontrol show node: \(result.problem)") }
        return result.stdout.split(whereSeparator: \.isNewline).compactMap { SlurmNodeRecord(scontrolLine: String($0)) }
            .filter { names?.contains($0.name) ?? true }
    }

    func address(of node: String) async throws -> String {
        if let known = addresses.lookup(node) { return known }
        let result = try await slurm("scontrol", ["show", "node", "-o", node])
        guard let address = result.stdout.split(whereSeparator: \.isNewline).compactMap({ SlurmNodeRecord(scontrolLine: String($0)) }).first?.address
        else { return node }
        addresses.remember(node, address)
        return address
    }

    func slurm(_ command: String, _ arguments: [String]) async throws -> HostCommandResult {
        try await HostCommand.run(command, arguments, environment: configuration.slurmConf.map { ["SLURM_CONF": $0] } ?? [:],
                                  timeout: .seconds(30))
    }

    func parts(of handle: RuntimeHandle) throws(PlatformError) -> (job: String, folder: URL) {
        try handle.require(adapter: capabilities.name, versions: 1...Self.handleVersion)
        // The folder is derived from the instance id and the job id must be a number, never
        // something a tampered row could turn into a path or an option.
        let folder = configuration.root.appendingPathComponent(handle.instanceId)
        let job = try handle.field("job")
        guard !handle.instanceId.isEmpty, handle.instanceId.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }), try handle.field("folder") == folder.path,
              !job.isEmpty, job.allSatisfy(\.isNumber)
        else {
            throw PlatformError(.runtimeHandleInvalid, "slurm handle of \(handle.instanceId) does not match its instance")
        }
        return (job, folder)
    }
}

/// A small thread-safe map of node addresses.
final class AddressBook: Sendable {
    private let entries = Mutex<[String: String]>([:])

    func lookup(_ node: String) -> String? { entries.withLock { $0[node] } }
    func remember(_ node: String, _ address: String) { entries.withLock { $0[node] = address } }
}

/// Node lists per partition with a short lifetime.
final class NodeCache: Sendable {
    private let entries = Mutex<[String: (at: ContinuousClock.Instant, nodes: [SlurmNodeRecord])]>([:])

    func lookup(_ partition: String) -> [SlurmNodeRecord]? {
        entries.withLock { entries in
            guard let entry = entries[partition], ContinuousClock.now < entry.at.advanced(by: .seconds(10)) else { return nil }
            return entry.nodes
        }
    }

    func remember(_ partition: String, _ nodes: [SlurmNodeRecord]) {
        entries.withLock { $0[partition] = (ContinuousClock.now, nodes) }
    }
}
