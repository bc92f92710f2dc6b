import Foundation
import HTTPTypes
import PlatformStore
import HummingbirdTesting
import PlatformContracts
import PlatformServer
import PlatformTestKit
import RuntimeKit
import Testing

@Suite("GPU node inventory at the API")
struct NodeInventoryTests {
    @Test("platformd discovers GPUs with the configured nvidia-smi and lists them free at /v1/nodes; no driver means no GPUs")
    func discoveredNodes() async throws {
        try await withTemporaryDirectory { directory async throws in
            let fake = directory.appending("nvidia-smi").path
            let csv = (0..<4).map { "\($0), GPU-0000000\($0)-aaaa-bbbb-cccc-dddddddddddd, NVIDIA H100 80GB HBM3, 81559" }.joined(separator: "\n")
            try Data("#!/bin/sh\ncat <<'CSV'\n\(csv)\nCSV\n".utf8).write(to: URL(fileURLWithPath: fake))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake)
            for (binary, expected) in [(fake, 4), (directory.appending("missing-nvidia-smi").path, 0)] {
                var configuration = testConfiguration(dataDirectory: directory.appending("data-\(expected)").path)
                configuration.nvidiaSMI = binary
                let server = try await PlatformServer.bootstrap(configuration, logger: quietLogger)
                try await server.application.test(.live) { client in
                    let key = try String(contentsOf: server.bootstrapKeyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
                    let fixture = IAMFixture(client: client, server: server, adminKey: key)
                    let nodes = try await fixture.ok(.get, "/v1/nodes", key: key, as: [NodeUsage].self)
                    #expect(nodes.count == 1)
                    #expect(nodes.first?.devices.count == expected)
                    #expect(nodes.first?.devices.allSatisfy { $0.instance == nil && $0.device.modelId == "h100" } == true)
                    if expected > 0 {
                        _ = try await server.inventory.allocate(instance: "inst-1", GPURequest(model: "h100", count: 3))
                        let held = try await fixture.ok(.get, "/v1/nodes", key: key, as: [NodeUsage].self)
                        #expect(held.first?.devices.filter { $0.instance == "inst-1" }.count == 3)
                    }
                }
                await server.store.shutdown()
            }
        }
    }

    @Test("GPUs declared in a YAML file replace discovery; a malformed declaration refuses to start")
    func declaredNodes() async throws {
        try await withTemporaryDirectory { directory async throws in
            let file = directory.appending("gpus.yaml")
            try Data("""
                devices:
                  - {index: 0, uuid: GPU-aaaaaaaa-0000-0000-0000-000000000000, name: NVIDIA A100-SXM4-80GB, memoryMiB: 81920}
                  - {index: 1, uuid: MIG-bbbbbbbb-0000-0000-0000-000000000001, name: NVIDIA H100 80GB HBM3, memoryMiB: 10240, migProfile: 1g.10gb}
                """.utf8).write(to: file)
            var configuration = testConfiguration(dataDirectory: directory.appending("data").path)
            configuration.gpuInventory = file.path
            configuration.nvidiaSMI = "/bin/false"
            let server = try await PlatformServer.bootstrap(configuration, logger: quietLogger)
            let snapshot = await server.inventory.snapshot()
            await server.store.shutdown()
            let devices = try #require(snapshot.first?.devices.map(\.device))
            #expect(devices.map(\.index) == [0, 1])
            #expect(devices.map(\.modelId) == ["a100", "h100"])
            #expect(devices[1].migProfile == "1g.10gb" && devices[1].memoryMiB == 10240)

            try Data("devices:\n  - {index: 0, uuid: GPU-x, name: X, memoryMiB: 1}\n  - {index: 0, uuid: GPU-y, name: Y, memoryMiB: 1}\n".utf8).write(to: file)
            var twice = testConfiguration(dataDirectory: directory.appending("data-2").path)
            twice.gpuInventory = file.path
            await #expect(throws: PlatformError.self) { _ = try await PlatformServer.bootstrap(twice, logger: quietLogger) }
        }
    }
}
