import Foundation
import PlatformContracts
import RuntimeKit
import Testing

extension AdapterConformanceTests {
    @Test("lists its nodes with their state and GPUs, and what a running instance holds on them", arguments: AdapterKind.allCases)
    func listsItsNodes(_ kind: AdapterKind) async throws {
        let fixture = try await ConformanceEnvironment.fixture(kind)
        let inventory = try #require(fixture.adapter as? any RuntimeNodeInventory, "\(kind) lists no nodes")
        let name = fixture.adapter.capabilities.name
        // Every fixture's node has fake h100s: 2 on memory and local, 4 in the Slurm test cluster.
        let capacity = kind == .slurm ? 4 : 2
        func h100s(_ nodes: [NodeUsage]) -> (count: Int, used: Int) {
            let groups = nodes.flatMap(\.gpus).filter { $0.model == "h100" && $0.migProfile == nil }
            return (groups.map(\.count).reduce(0, +), groups.map(\.used).reduce(0, +))
        }
        let before = try await inventory.nodeUsage()
        #expect(!before.isEmpty && before.allSatisfy { $0.adapter == name && $0.acceptsInstances }, "\(before)")
        #expect(h100s(before).count == capacity, "\(before)")

        let spec = fixture.spec("CONF-NODES", mode: .service, .serveUntilStopped, gpus: fixture.gpuCase.request)
        let handle = try await fixture.adapter.start(spec, plan: try await fixture.adapter.plan(spec))
        let running = try await waitUntil(fixture.adapter, handle) { $0.state == .running }
        let busy = try await inventory.nodeUsage()
        #expect(h100s(busy).used == fixture.gpuCase.request.count, "\(busy)")
        let placed = try #require(busy.first { $0.node == running.node }, "the instance's node \(running.node ?? "nil") is listed: \(busy)")
        #expect(placed.state == .mixed || placed.state == .allocated, "\(placed)")

        try await fixture.adapter.stop(handle, grace: .seconds(10))
        try await fixture.adapter.release(handle)
        // Slurm frees the GRES once the job has completed (COMPLETING first).
        let deadline = ContinuousClock.now.advanced(by: .seconds(20))
        var after = try await inventory.nodeUsage()
        while h100s(after).used > 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            after = try await inventory.nodeUsage()
        }
        #expect(h100s(after).used == 0, "\(after)")
        try await fixture.adapter.destroy(handle)
    }
}
