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
}
