import Foundation
import InMemoryRuntimeAdapter
import LocalRuntimeAdapter
import PlatformContracts
import PlatformStore
import PlatformTestKit
import RuntimeKit
import SlurmRuntimeAdapter
import Testing

/// The fixtures of one run of the conformance suite: each adapter's runtime is set up the
/// first time a check asks for it (a Slurm cluster, a runc root with the busybox image, an
/// in-memory runtime) and torn down when the suite ends, so every check of an adapter shares
/// one runtime as the single long check used to.
actor ConformanceEnvironment {
    @TaskLocal static var current: ConformanceEnvironment?

    private var fixtures: [AdapterKind: Task<AdapterFixture, any Error>] = [:]
    private var teardowns: [@Sendable () async -> Void] = []

    /// The fixture of `kind` in the suite's environment.
    static func fixture(_ kind: AdapterKind) async throws -> AdapterFixture {
        guard let current else { throw ConformanceFailure(message: "the conformance suite runs inside its environment trait") }
        return try await current.fixture(kind)
    }

    func fixture(_ kind: AdapterKind) async throws -> AdapterFixture {
        if let existing = fixtures[kind] { return try await existing.value }
        let made = Task { try await self.make(kind) }
        fixtures[kind] = made
        return try await made.value
    }

    func onTearDown(_ body: @escaping @Sendable () async -> Void) { teardowns.append(body) }

    func tearDown() async {
        for body in teardowns.reversed() { await body() }
        teardowns = []
    }

    private func make(_ kind: AdapterKind) async throws -> AdapterFixture {
        switch kind {
        case .memory: return makeMemory()
        case .local, .slurm:
            let directory = try TemporaryDirectory(prefix: "conformance-\(kind.rawValue)")
            onTearDown { directory.remove() }
            let blobs = try FileSystemBlobStore(root: directory.url.appendingPathComponent("blobs"))
            let digest = try await TestImage.busybox(into: blobs, scratch: try makeFolder(directory.appending("image")))
            let image = LaunchSpec.Image(repository: "p1/busybox", manifestDigest: digest)
            let root = try makeFolder(directory.appending("runtime"))
            return kind == .local ? makeLocal(root: root, blobs: blobs, image: image)
                : try await makeSlurm(directory: directory, root: root, blobs: blobs, image: image)
        }
    }

    private func makeMemory() -> AdapterFixture {
        // Real time (the events stream polls on it) and short delays, so every transition happens.
        let runtime = InMemoryRuntime(clock: SystemClock(), gpuCount: 2) { spec in
            let workload = spec.environment["CONFORMANCE_WORKLOAD"] ?? ""
            if workload == "args" {
                return InMemoryBehaviour(pending: .milliseconds(20), exit: .init(code: 0, after: .milliseconds(50)), output: "args=${@}\n")
            }
            if workload.hasPrefix("volume|") {
                var behaviour = InMemoryBehaviour(pending: .milliseconds(20), exit: .init(code: 0, after: .milliseconds(50)))
                behaviour.volumeSteps = AdapterFixture.memoryVolumeSteps(workload)
                return behaviour
            }
            if workload == "secrets" {
                return InMemoryBehaviour(pending: .milliseconds(20), exit: .init(code: 0, after: .milliseconds(50)), output: """
                    file=${file:/run/secrets/SECRET_FILE} mode=${mode:/run/secrets/SECRET_FILE}
                    fs=${fs:/run/secrets}
                    env=${SECRET_ENV} fileonly=${SECRET_FILE}
                    read-only

                    """)
            }
            // Limits: the twin holds a workload to the spec's memoryMiB and diskMiB (InMemoryBehaviour+Limits).
            if workload.hasPrefix("hog:") {
                var behaviour = InMemoryBehaviour(pending: .milliseconds(20), exit: .init(code: 0, after: .milliseconds(50)), output: "survived\n")
                behaviour.memoryUseMiB = Int(workload.dropFirst(4))
                return behaviour
            }
            if workload.hasPrefix("fill:") {
                var behaviour = InMemoryBehaviour(pending: .milliseconds(20), exit: .init(code: 0, after: .milliseconds(50)), output: "fits\n")
                behaviour.diskUseMiB = Int(workload.dropFirst(5))
                return behaviour
            }
            if workload == "gpus" {
                return InMemoryBehaviour(pending: .milliseconds(20), exit: .init(code: 0, after: .milliseconds(50)), output: "gpus=${CUDA_VISIBLE_DEVICES}\n")
            }
            if workload.hasPrefix("greet:") {
                return InMemoryBehaviour(pending: .milliseconds(20), exit: .init(code: Int32(workload.dropFirst(6)) ?? 0, after: .milliseconds(50)),
                                         output: "hello-${PLATFORM_INSTANCE_ID}\n")
            }
            return InMemoryBehaviour(pending: .milliseconds(20), output: "serving\n", stopOutput: "got-term\n", stopDelay: .milliseconds(100))
        }
        let adapter = InMemoryRuntimeAdapter(runtime: runtime)
        return AdapterFixture(
            kind: .memory, makeAdapter: { InMemoryRuntimeAdapter(runtime: runtime) }, adapter: adapter,
            image: .init(repository: "p1/none", manifestDigest: ContentDigest(sha256Bytes: Array("memory".utf8))),
            launch: { workload in
                let name = switch workload {
                case .greetAndExit(let code): "greet:\(code)"
                case .showImage: "image"
                case .printGPUs: "gpus"
                case .serveUntilStopped: "serve"
                case .printArgs: "args"
                case .volumeWrite(let path, let text): "volume|write|\(path)|\(text)"
                case .volumeRead(let path): "volume|read|\(path)"
                case .volumeFill(let path, let mib): "volume|fill|\(path)|\(mib)"
                case .showSecrets: "secrets"
                case .printLimits: "limits"
                case .hogMemory(let mib): "hog:\(mib)"
                case .fillScratch(let mib): "fill:\(mib)"
                case .printNode: "node"
                }
                return (["conformance"], ["CONFORMANCE_WORKLOAD": name])
            },
            sideEffects: { runtime.instanceIds },
            gpuCase: (GPURequest(model: "h100", count: 2), ["0,1"]), tooManyGPUs: GPURequest(model: "h100", count: 3),
            inventory: adapter.inventory)
    }

    private func makeLocal(root: URL, blobs: FileSystemBlobStore, image: LaunchSpec.Image) -> AdapterFixture {
        // Two whole h100 and a third in MIG mode with two 1g.10gb slices, on a fake driver tree
        // whose CDI spec the adapter applies (AdapterConformance+CDI.swift).
        let devices = FakeGPUHost.devicesWithMIG(wholeGPUs: 2)
        let cdi = try? FakeGPUHost.spec(at: root.deletingLastPathComponent().appendingPathComponent("gpu-host"), devices: devices)
        let inventory = GPUInventory(nodes: [GPUNode(name: "localhost", devices: devices)])
        onTearDown { await LocalRuntimeAdapter.reclaimNetworks(under: root) }
        let make: @Sendable () -> any RuntimeAdapter = { LocalRuntimeAdapter(root: root, inventory: inventory, blobs: blobs, node: "localhost", cdi: cdi) }
        return AdapterFixture(
            kind: .local, makeAdapter: make, adapter: make(), image: image, launch: AdapterFixture.shell,
            sideEffects: { AdapterFixture.listing(root) },
            gpuCase: (GPURequest(model: "h100", count: 2), ["0,1"]), tooManyGPUs: GPURequest(model: "h100", count: 3),
            inventory: inventory)
    }

    private func makeSlurm(directory: TemporaryDirectory, root: URL, blobs: FileSystemBlobStore, image: LaunchSpec.Image) async throws -> AdapterFixture {
        let cluster = try await SlurmCluster.start(in: directory)
        onTearDown { await cluster.stop() }
        let configuration = SlurmRuntimeAdapter.Configuration(
            root: root, template: repositoryRoot().appendingPathComponent("runtime-adapters/slurm/job.sbatch.tmpl"),
            slurmConf: cluster.environment["SLURM_CONF"], defaultPartition: "gpu",
            cdi: try? FakeGPUHost.spec(at: directory.url.appendingPathComponent("gpu-host"), devices: FakeGPUHost.devices(4)))
        let make: @Sendable () -> any RuntimeAdapter = { SlurmRuntimeAdapter(configuration: configuration, blobs: blobs) }
        return AdapterFixture(
            kind: .slurm, makeAdapter: make, adapter: make(), image: image, launch: AdapterFixture.shell,
            sideEffects: { AdapterFixture.listing(root) },
            // The cluster has 4 fake h100s: a job of 2 gets 0,1 or 2,3; 5 never fit.
            gpuCase: (GPURequest(model: "h100", count: 2), ["0,1", "2,3"]), tooManyGPUs: GPURequest(model: "h100", count: 5),
            inventory: nil)
    }
}

/// Sets up the suite's ``ConformanceEnvironment`` around all its tests and tears it down after.
struct ConformanceEnvironmentTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let environment = ConformanceEnvironment()
        do {
            try await ConformanceEnvironment.$current.withValue(environment) { try await function() }
        } catch {
            await environment.tearDown()
            throw error
        }
        await environment.tearDown()
    }
}

extension Trait where Self == ConformanceEnvironmentTrait {
    /// The adapters' runtimes, shared by the suite's checks.
    static var conformanceEnvironment: Self { ConformanceEnvironmentTrait() }
}
