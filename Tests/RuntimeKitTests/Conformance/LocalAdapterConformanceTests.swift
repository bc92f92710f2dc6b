import Foundation
import LocalRuntimeAdapter
import PlatformContracts
import PlatformStore
import PlatformTestKit
import RuntimeKit
import Testing

@Suite("Local adapter (runc)", .serialized)
struct LocalAdapterConformanceTests {
    @Test("passes the adapter conformance suite under real runc")
    func conformance() async throws {
        try await withTemporaryDirectory { directory async throws in
            let blobs = try FileSystemBlobStore(root: directory.url.appendingPathComponent("blobs"))
            let digest = try await TestImage.busybox(into: blobs, scratch: try makeFolder(directory.appending("image")))
            let root = directory.url.appendingPathComponent("runtime")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            let inventory = GPUInventory(nodes: [GPUNode(name: "localhost", devices: (0..<2).map {
                GPUDevice(index: $0, uuid: "GPU-fake-\($0)", name: "NVIDIA H100 80GB HBM3", modelId: "h100", memoryMiB: 81_559)
            })])
            let suite = AdapterConformance(
                makeAdapter: { LocalRuntimeAdapter(root: root, inventory: inventory, blobs: blobs, node: "localhost") },
                image: .init(repository: "p1/busybox", manifestDigest: digest), root: root,
                gpuCase: (GPURequest(model: "h100", count: 2), ["0,1"]))
            try await suite.run()
            #expect(await inventory.snapshot().flatMap(\.devices).allSatisfy { $0.instance == nil }, "devices are released")
        }
    }
}
