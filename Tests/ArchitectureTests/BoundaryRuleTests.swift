import Testing

@Suite("Boundary rule over the package graph")
struct BoundaryRuleTests {
    static let graph = Result { try PackageGraph.load() }

    @Test("the package graph obeys the boundary rule")
    func packageObeysRule() throws {
        let graph = try Self.graph.get()
        #expect(graph.targets["PlatformContracts"] != nil)
        #expect(graph.targets["LocalRuntimeAdapter"]?.path == "runtime-adapters/local")
        #expect(graph.targets.count >= 20)
        let problems = BoundaryRule.violations(in: graph)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("product code depending on a shared-service implementation is caught", arguments: [
        ("AppPlatform", "IAMService"),
        ("ArtifactRegistry", "AuditService"),
        ("RuntimeKit", "MeteringService"),
        ("PlatformHTTP", "StatusService"),
        ("LocalRuntimeAdapter", "PolicyService"),
    ])
    func forbiddenSharedServiceEdge(from: String, to: String) throws {
        let problems = BoundaryRule.violations(in: try Self.graph.get().adding(from, dependsOn: to))
        #expect(problems.contains { $0.hasPrefix("\(from) → \(to): product code must use") }, "\(problems)")
    }

    @Test("an arrow pointing up or sideways is caught", arguments: [
        ("PlatformContracts", "PlatformStore"),
        ("PlatformStore", "AppPlatform"),
        ("RuntimeKit", "LocalRuntimeAdapter"),
        ("IAMService", "AuditService"),
        ("AppPlatform", "PlatformHTTP"),
        ("PlatformHTTP", "PlatformServer"),
    ])
    func upwardEdge(from: String, to: String) throws {
        let problems = BoundaryRule.violations(in: try Self.graph.get().adding(from, dependsOn: to))
        #expect(problems.contains { $0.hasPrefix("\(from) (") && $0.contains("→ \(to) (") }, "\(problems)")
    }

    @Test("a target nobody placed in a layer is caught")
    func unclassifiedTarget() throws {
        var graph = try Self.graph.get()
        graph.targets["Sneaky"] = .init(name: "Sneaky", type: "regular", path: nil, dependencies: ["PlatformContracts"], products: [])
        #expect(BoundaryRule.violations(in: graph).contains { $0.hasPrefix("Sneaky has no layer") })
    }
}
