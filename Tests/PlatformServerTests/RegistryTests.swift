import Foundation
import HTTPTypes
import PlatformContracts
import PlatformServer
import PlatformTestKit
import Testing

@Suite("Platform registries")
struct RegistryTests {
    static let checkoutRegistries = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("manifests/platform")

    @Test("every registry is served at /v1/registries/{kind} to any authenticated caller")
    func served() async throws {
        try await withIAMServer(.sqlite) { fixture in
            for kind in RegistryKind.allCases.map(\.rawValue) + ["gpu-model", "price-book"] {
                let reply = try await fixture.call(.get, "/v1/registries/\(kind)", key: fixture.adminKey)
                #expect(reply.status == .ok, "\(kind)")
                let object = try JSONSerialization.jsonObject(with: reply.body) as? [String: Any]
                #expect(object?["registry"] as? String == kind)
                #expect((object?["version"] as? Int ?? 0) >= 1)
            }
            #expect(try await fixture.call(.get, "/v1/registries/nonsense", key: fixture.adminKey).status == .notFound)
            #expect(try await fixture.call(.get, "/v1/registries/scope", key: nil).status == .unauthorized)
        }
    }

    @Test("a bad registry file stops the server with a message naming the file and the entry", arguments: [
        ("scopes.yaml", "  - scope_id: iam:tenant:read\n", "  - scope_id: iam:tenant:create\n", "scopes.yaml: entry 2 (scope_id iam:tenant:create) is a duplicate"),
        ("audit-actions.yaml", "    product_id: audit\n", "    product_id: accounting\n", "names unknown product accounting"),
        ("usage-units.yaml", "version: 2\nunits:", "version: 0\nunits:", "usage-units.yaml: `version` must be an integer ≥ 1"),
        ("usage-units.yaml", "    owner: token-factory\n", "    owner: tokens\n", "unit inference.token is owned by tokens, which is not a registered product"),
        ("usage-units.yaml", "    precision: 1000\n", "    precision: 0\n", "unit inference.token has precision 0; it must be > 0"),
        ("usage-units.yaml", "    replaced_by: gpu-hour\n", "    replaced_by: gpu-hours\n",
         "unit gpu.second is replaced by gpu-hours, which is not another registered unit"),
        ("usage-units.yaml", "    replaced_by: gpu-hour\n", "", "deprecated unit gpu.second must name its replaced_by"),
        ("usage-units.yaml", "unit_id: gpu-hour.l40s\n", "unit_id: gpu-hour.l40\n", "GPU model l40s has no active gpu-category unit gpu-hour.l40s"),
        ("price-book.yaml", "unit: inference.request,", "unit: inference.requests,", "prices unknown unit inference.requests"),
        ("price-book.yaml", "plan: plan.research, unit: app-runtime-hour", "plan: plan.researchers, unit: app-runtime-hour",
         "names unknown plan plan.researchers"),
        ("price-book.yaml", "unit_price: 100,", "unit_price: -100,", "has a negative unit_price -100"),
        ("price-book.yaml", "  - {plan: plan.research, unit: app-runtime-hour,",
         "  - {plan: plan.research, unit: app-runtime-hour, unit_price: 5, effective_from: \"2026-06-01T00:00:00Z\"}\n  - {plan: plan.research, unit: app-runtime-hour,",
         "entry 12 (plan.research / app-runtime-hour) overlaps entry 11 in time"),
        ("policies.yaml", "registry: policy", "registry: policies", "policies.yaml: `registry` must be policy"),
        ("policies.yaml", "      runtime.slurm: true\n", "      runtime.slurm: 3\n", "plan plan.research sets runtime.slurm to 3, a integer, not a flag"),
        ("policies.yaml", "      runtime.slurm: true\n", "      runtime.slurmm: true\n", "plan plan.research sets unknown policy runtime.slurmm"),
        ("policies.yaml", "    default: 2000\n", "    default: [a]\n", "policy quota.gpu_hours_per_month: default a is a list, not a integer"),
        ("evidence-types.yaml", "required_fields: [strategy, steps]", "required_fields: [strategy, steps, owner]",
         "required_fields owner are not required by its schema evidence-schemas/rollback-plan.schema.json"),
    ])
    func badRegistryStopsServer(file: String, find: String, replace: String, expected: String) async throws {
        try await withTemporaryDirectory { directory async throws in
            let registries = directory.appending("platform")
            try FileManager.default.createDirectory(at: registries, withIntermediateDirectories: true)
            for name in try FileManager.default.contentsOfDirectory(atPath: Self.checkoutRegistries.path) {
                // Folders (evidence-schemas/) are copied as they are.
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: Self.checkoutRegistries.appendingPathComponent(name).path, isDirectory: &isFolder), isFolder.boolValue {
                    try FileManager.default.copyItem(at: Self.checkoutRegistries.appendingPathComponent(name), to: registries.appendingPathComponent(name))
                    continue
                }
                var text = try String(contentsOf: Self.checkoutRegistries.appendingPathComponent(name), encoding: .utf8)
                if name == file {
                    #expect(text.contains(find))
                    text = text.replacingOccurrences(of: find, with: replace)
                }
                try text.write(to: registries.appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
            var configuration = testConfiguration(dataDirectory: directory.appending("data").path)
            configuration.registryDirectory = registries.path
            let error = await #expect(throws: PlatformError.self) {
                _ = try await PlatformServer.bootstrap(configuration, logger: quietLogger)
            }
            #expect(error?.code == .configInvalid)
            #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
        }
    }
}
