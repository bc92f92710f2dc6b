import Foundation
import HTTPTypes
import HummingbirdTesting
import PlatformContracts
import PlatformServer
import PlatformStore
import PlatformTestKit
import RuntimeKit
import Testing

/// platformd on a host whose `nvidia-smi` reports a GPU in MIG mode: the inventory and
/// `/v1/nodes` list the slices, and the CDI spec written at start names every device.
@Suite("MIG slices and the CDI spec in platformd")
struct GPUMIGNodeTests {
    @Test("a GPU in MIG mode is listed with its slices at /v1/nodes, and runtime/cdi/nvidia.json names every GPU and slice")
    func migNodesAndCDI() async throws {
        try await withTemporaryDirectory { directory async throws in
            let fake = directory.appending("nvidia-smi").path
            try Data("""
                #!/bin/sh
                if [ "$1" = "-L" ]; then
                  echo "GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-00000000-aaaa-bbbb-cccc-dddddddddddd)"
                  echo "GPU 1: NVIDIA H100 80GB HBM3 (UUID: GPU-00000001-aaaa-bbbb-cccc-dddddddddddd)"
                  echo "  MIG 1g.10gb     Device  0: (UUID: MIG-00000001-aaaa-bbbb-cccc-000000000000)"
                  echo "  MIG 3g.40gb     Device  1: (UUID: MIG-00000001-aaaa-bbbb-cccc-000000000001)"
                  exit 0
                fi
                echo "0, GPU-00000000-aaaa-bbbb-cccc-dddddddddddd, NVIDIA H100 80GB HBM3, 81559, Disabled"
                echo "1, GPU-00000001-aaaa-bbbb-cccc-dddddddddddd, NVIDIA H100 80GB HBM3, 81559, Enabled"
                """.utf8).write(to: URL(fileURLWithPath: fake))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake)
            var configuration = testConfiguration(dataDirectory: directory.appending("data").path)
            configuration.nvidiaSMI = fake
            let server = try await PlatformServer.bootstrap(configuration, logger: quietLogger)
            try await server.application.test(.live) { client in
                let key = try String(contentsOf: server.bootstrapKeyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
                let fixture = IAMFixture(client: client, server: server, adminKey: key)
                let nodes = try await fixture.ok(.get, "/v1/nodes", key: key, as: [NodeUsage].self)
                let devices = nodes.flatMap(\.devices).map(\.device)
                #expect(devices.filter(\.isMIGSlice).map(\.migProfile) == ["1g.10gb", "3g.40gb"], "\(devices)")
                #expect(devices.first { $0.uuid.hasPrefix("GPU-00000001") }?.migEnabled == true)
                #expect(devices.filter(\.isMIGSlice).allSatisfy { $0.parentUUID == "GPU-00000001-aaaa-bbbb-cccc-dddddddddddd" && $0.modelId == "h100" })
            }
            await server.store.shutdown()
            let written = try Data(contentsOf: directory.url.appendingPathComponent("data/runtime/cdi/nvidia.json"))
            let spec = try JSONDecoder().decode(CDISpec.self, from: written)
            #expect(spec.kind == "nvidia.com/gpu" && spec.cdiVersion == "0.6.0")
            #expect(Set(spec.devices.map(\.name)).isSuperset(of: ["0", "GPU-00000000-aaaa-bbbb-cccc-dddddddddddd", "1:0", "MIG-00000001-aaaa-bbbb-cccc-000000000001"]))
        }
    }
}
