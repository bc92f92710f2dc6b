import AppCtlKit
import Foundation
import PlatformContracts
@testable import PortalGenerator
import Testing

/// The table behind every `validated` cell of the portal's matrix, checked against the test
/// sources themselves: each ``LaunchFeatureProof`` must name a Swift Testing function that
/// exists in its suite under `Tests/`, runs in the integration tier (real processes), reaches
/// the proof's adapter and exercises the feature. So a proof cannot outlive its test, and a
/// unit test or another adapter's test cannot stand in for a launch.
@Suite("Launch feature proofs", .serialized)
struct LaunchFeatureProofTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The adapters a launch can be proven on: the real ones (the in-memory twin runs no
    /// process, so nothing it does proves a launch).
    static let provable: Set<String> = ["local", "slurm"]

    @Test("every recorded proof names an integration test of its adapter that exercises its feature, and none is recorded twice")
    func everyProofHolds() throws {
        let sources = try TestSources.load(Self.root.appendingPathComponent("Tests"))
        let features = Set(ManifestFeatureSupport.declared.map(\.feature))
        var problems: [String] = []
        for proof in LaunchFeatureProof.recorded {
            problems += Self.problems(proof, sources: sources, features: features)
        }
        var seen: Set<LaunchFeatureProof> = []
        for proof in LaunchFeatureProof.recorded where !seen.insert(proof).inserted {
            problems.append("\(proof.feature) on \(proof.adapter) by \(proof.test): recorded twice")
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("a made-up test, a unit test, a test of another adapter and a test of another feature are each refused as proof")
    func madeUpProofsAreCaught() throws {
        let sources = try TestSources.load(Self.root.appendingPathComponent("Tests"))
        let features = Set(ManifestFeatureSupport.declared.map(\.feature))
        let cases: [(LaunchFeatureProof, String)] = [
            (LaunchFeatureProof("secrets", on: "local", test: "NoSuchSuite/noSuchTest"), "no suite NoSuchSuite"),
            (LaunchFeatureProof("secrets", on: "local", test: "AdapterConformanceTests/noSuchTest"), "no @Test function noSuchTest"),
            (LaunchFeatureProof("connect", on: "local", test: "PortalGeneratorTests/matrix"), "not tagged .integration"),
            (LaunchFeatureProof("resources.gpu", on: "slurm", test: "LocalAdapterIsolationTests/instanceRunsUnprivilegedUnderSeccomp"),
             "does not reach the slurm adapter"),
            (LaunchFeatureProof("secrets", on: "local", test: "AdapterConformanceTests/declaresItsName"), "does not exercise secrets"),
            (LaunchFeatureProof("resources.gpu", on: "memory", test: "AdapterConformanceTests/gpusReachTheProcess"), "memory is not an adapter a launch"),
            (LaunchFeatureProof("telepathy", on: "local", test: "AdapterConformanceTests/gpusReachTheProcess"), "telepathy is not a manifest feature"),
            (LaunchFeatureProof("artifact", on: "local", test: "InstanceProcessTests/referenceApp"), "the proof must name the app"),
            (LaunchFeatureProof("artifact", on: "local", test: "InstanceProcessTests/referenceApp", app: "jupyter-lab"), "does not exercise artifact of jupyter-lab"),
        ]
        for (proof, expected) in cases {
            let found = Self.problems(proof, sources: sources, features: features)
            #expect(found.contains { $0.contains(expected) }, "\(proof): \(found)")
        }
        // And a real one passes, so the refusals above are not the checker refusing everything.
        let real = LaunchFeatureProof("resources.gpu", on: "slurm", test: "AdapterConformanceTests/gpusReachTheProcess")
        #expect(Self.problems(real, sources: sources, features: features).isEmpty)
    }

    @Test("every validated cell of the generated matrix rests on proofs; a feature the code applies but no test launched is a gap a smoke test closes")
    func validatedCellsHaveProofs() throws {
        let inputs = try PortalInputs.load(checkout: Self.root, commands: [], api: PortalAPIContract.current(), adapters: Self.adapters)
        let matrix = try Self.matrix(inputs)
        let proven = Set(LaunchFeatureProof.recorded.map { "\($0.feature)@\($0.adapter)" })
        for row in matrix.features {
            for (adapter, cell) in zip(matrix.platformAdapters, row.cells) where cell.level == "validated" {
                #expect(proven.contains("\(row.feature)@\(adapter)") && !cell.proofs.isEmpty, "\(row.feature) on \(adapter) is validated without a proof")
            }
        }
        for row in matrix.rows {
            for (index, adapter) in matrix.adapters.enumerated() where row.launch[index].level == "validated" {
                for feature in row.features where ManifestFeatureSupport.lookup(feature, adapter: adapter)?.level == .validated {
                    #expect(proven.contains("\(feature)@\(adapter)"), "\(row.app) on \(adapter) is validated but \(feature) has no proof there")
                }
            }
        }

        // Without any proof nothing is validated, and a claimed feature reads as a gap a smoke test closes.
        var unproven = inputs
        unproven.proofs = []
        let bare = try Self.matrix(unproven)
        #expect(bare.features.allSatisfy { $0.cells.allSatisfy { $0.level != "validated" } })
        #expect(bare.rows.allSatisfy { $0.launch.allSatisfy { $0.level != "validated" } && $0.connect.allSatisfy { $0.level != "validated" } })
        let command = try #require(bare.features.first { $0.feature == "command" }?.cells.first)
        #expect(command.level == "gap" && command.closedBy == [.smokeTest] && command.reason.contains("no test has launched it on local"), "\(command)")

        // One proof moves exactly its own cell: command on local, not on slurm.
        unproven.proofs = [LaunchFeatureProof("command", on: "local", test: "InstanceProcessTests/referenceApp")]
        let one = try #require(try Self.matrix(unproven).features.first { $0.feature == "command" })
        #expect(one.cells.map(\.level) == ["validated", "gap"], "\(one)")
        #expect(one.cells[0].proofs == ["InstanceProcessTests/referenceApp"])
    }

    @Test("the page shows the feature-by-adapter table and what closes each app's gaps (SDK example or smoke test)")
    func pageShowsTheGrainAndTheClosures() throws {
        var inputs = try PortalInputs.load(checkout: Self.root, commands: [], api: PortalAPIContract.current(), adapters: Self.adapters)
        inputs.support = [
            .init("command", .validated, "run as the process"),
            .init("secrets", .gap, "not injected", closedBy: [.sdkExample, .smokeTest]),
        ]
        inputs.proofs = [LaunchFeatureProof("command", on: "local", test: "InstanceProcessTests/referenceApp")]
        let page = try #require(PortalGenerator.generate(inputs).files.first { $0.path == "docs/matrix.mdx" }).contents
        #expect(page.contains("| Feature | local | slurm | Gap closes with |"), "\(page)")
        #expect(page.contains("| `command` | **validated** | **gap** | smoke test |"), "\(page)")
        #expect(page.contains("| `secrets` | **gap** | **gap** | SDK example, smoke test |"), "\(page)")
        #expect(page.contains("(launched by `InstanceProcessTests/referenceApp`)"), "\(page)")
        let jupyter = try #require(page.split(separator: "\n").first { $0.hasPrefix("| `jupyter-lab` |") })
        #expect(jupyter.hasSuffix("| SDK example: secrets (local, slurm); smoke test: command (slurm), secrets (local, slurm) |"), "\(jupyter)")
    }

    static let adapters = [
        RuntimeAdapterCapabilities(name: "local", modes: ["interactive", "service", "job"], gpus: true, exec: true, portForward: false, recover: true),
        RuntimeAdapterCapabilities(name: "slurm", modes: ["interactive", "service", "job"], gpus: true, exec: false, portForward: false, recover: true),
    ]

    static func matrix(_ inputs: PortalInputs) throws -> SupportMatrix {
        var diagnostics: [PortalDiagnostic] = []
        return PortalModel.build(inputs, diagnostics: &diagnostics).matrix
    }

    /// What is wrong with one proof, read from the test sources; empty when it holds.
    static func problems(_ proof: LaunchFeatureProof, sources: TestSources, features: Set<String>) -> [String] {
        let what = "\(proof.feature) on \(proof.adapter) by \(proof.test)"
        var problems: [String] = []
        if !features.contains(proof.feature) { problems.append("\(what): \(proof.feature) is not a manifest feature of ManifestFeatureSupport") }
        if !provable.contains(proof.adapter) { problems.append("\(what): \(proof.adapter) is not an adapter a launch can be proven on") }
        let parts = proof.test.split(separator: "/").map(String.init)
        guard parts.count == 2 else { return problems + ["\(what): the test is not SuiteName/functionName"] }
        let (suite, function) = (parts[0], parts[1])
        let declarations = sources.types(named: suite)
        guard !declarations.isEmpty else { return problems + ["\(what): no suite \(suite) under Tests/"] }
        guard let test = declarations.lazy.compactMap({ sources.function(named: function, in: $0) }).first, test.header.contains("@Test") else {
            return problems + ["\(what): no @Test function \(function) in \(suite)"]
        }
        let suiteHeaders = declarations.map(\.header).joined(separator: "\n")
        if !(test.header + suiteHeaders).contains(".integration") {
            problems.append("\(what): not tagged .integration (neither the test nor its suite)")
        }
        // The test's own code: its body and the suite's helpers it calls (`scenario(…)`), transitively.
        var text = test.header + "\n" + test.body
        var followed: Set<String> = [function]
        let helpers = sources.helpers(of: declarations)
        while let helper = helpers.first(where: { !followed.contains($0.name) && text.contains("\($0.name)(") }) {
            followed.insert(helper.name)
            text += "\n" + helper.declaration.body
        }
        let reachesAdapter = text.contains("\"\(proof.adapter)\"") || TestSources.mentions(text, identifier: ".\(proof.adapter)")
            || (text.contains("AdapterKind.allCases") || text.contains("AdapterKind.imageRunners"))
            || adapterTypes[proof.adapter, default: []].contains { TestSources.mentions(text, identifier: $0) }
        if !reachesAdapter {
            problems.append("\(what): does not reach the \(proof.adapter) adapter (no \"\(proof.adapter)\", .\(proof.adapter), AdapterKind arguments "
                            + "or \(adapterTypes[proof.adapter, default: []].joined(separator: ", ")))")
        }
        let lowered = text.lowercased()
        // A per-app proof (an app's own artifact) must name its app, and its test must launch that app.
        if ManifestFeatureSupport.declared.contains(where: { $0.feature == proof.feature && $0.perApp }), proof.app == nil {
            problems.append("\(what): \(proof.feature) is proven per app; the proof must name the app its test launched")
        }
        let words = proof.app.map { [$0] } ?? terms(proof.feature)
        if !words.contains(where: { lowered.contains($0.lowercased()) }) {
            problems.append("\(what): does not exercise \(proof.feature)\(proof.app.map { " of \($0)" } ?? "") (mentions none of \(words))")
        }
        return problems
    }

    /// What a test that drives an adapter directly names: its type (or the fixture that builds it).
    static let adapterTypes: [String: [String]] = [
        "local": ["LocalRuntimeAdapter", "withIsolationFixture"],
        "slurm": ["SlurmRuntimeAdapter"],
    ]

    /// The words a test that exercises `feature` says: the last part of its path, and where
    /// tests name it otherwise, those names (a test of `endpoints` calls an endpoint's URL).
    static func terms(_ feature: String) -> [String] {
        let last = feature.split(separator: ".").last.map(String.init) ?? feature
        let more: [String: [String]] = [
            "endpoints": ["endpoint"],
            "health.readiness": ["\"ready\"", ".ready"],
            "billing.usageUnit": ["gpu-hour", "app-runtime-hour"],
            "evidence.readyWithinMinutes": ["health-timeout", "healthTimeout"],
            "access": ["launchScopes"],
            // gpu-echo's command is /bin/start: a test that calls gpu-echo's endpoints ran it.
            "command": ["/bin/start", "gpu-echo"],
            "resources.cpuMillicores": ["cpu"],
            "resources.memoryMiB": ["memory"],
            "lifecycle.restartPolicy": ["crash-loop", "crashLoop"],
        ]
        return [last] + (more[feature] ?? [])
    }
}
