import AppCtlKit
import Foundation
import PlatformContracts
import PlatformTestKit
import PortalGenerator
import Testing

/// The portal generator against the real contracts: the committed `portal/` is what they
/// generate (the drift gate), output is deterministic, a new schema field or app shows up
/// with no other edit, and every page passes a real MDX v3 compiler and Docusaurus's rules.
@Suite("Portal generator")
struct PortalGeneratorTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func appctl(_ arguments: [String]) async -> (Int32, String) {
        let captured = Captured()
        let context = CommandContext(environment: [:], output: { captured.append($0) }, errorOutput: { captured.append($0) })
        return (await AppCtl.run(arguments: arguments, context: context), captured.text)
    }

    @Test("portal/ is exactly what the contracts generate (UPDATE_GOLDEN=1 rewrites it)")
    func driftGate() async throws {
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            let (code, output) = await Self.appctl(["portal", "generate", "--root", Self.root.path])
            #expect(code == 0, "\(output)")
        }
        let (code, output) = await Self.appctl(["portal", "generate", "--check", "--root", Self.root.path])
        #expect(code == 0, "\(output)")
    }

    @Test("the same inputs give byte-identical files; a new schema field and a new app appear with no other edit")
    func deterministicAndPropagating() async throws {
        try await withTemporaryDirectory { directory async throws in
            for folder in ["manifests/schema", "manifests/apps", "manifests/platform", "manifests/api", "manifests/portal", "examples/python", "examples/swift"] {
                try FileManager.default.createDirectory(at: directory.appending(folder).deletingLastPathComponent(), withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: Self.root.appendingPathComponent(folder), to: directory.appending(folder))
            }
            let schemaFile = directory.appending("manifests/schema/app-manifest.v1.schema.json")
            var schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: schemaFile)) as? [String: Any])
            var properties = try #require(schema["properties"] as? [String: Any])
            properties["sampleField"] = ["type": "integer", "minimum": 3, "description": "A field added by the test."]
            schema["properties"] = properties
            try JSONSerialization.data(withJSONObject: schema, options: [.sortedKeys]).write(to: schemaFile)
            let hello = try String(contentsOf: directory.appending("manifests/apps/hello.yaml"), encoding: .utf8)
            try hello.replacingOccurrences(of: "name: hello", with: "name: zz-sample-app")
                .write(to: directory.appending("manifests/apps/zz-sample-app.yaml"), atomically: true, encoding: .utf8)

            var outputs: [[PortalFile]] = []
            for round in 0..<2 {
                let (code, output) = await Self.appctl(["portal", "generate", "--root", directory.path, "--out", directory.appending("out-\(round)").path])
                #expect(code == 0, "\(output)")
                let files = try FileManager.default.subpathsOfDirectory(atPath: directory.appending("out-\(round)").path).sorted()
                outputs.append(try files.compactMap { path in
                    var isFolder: ObjCBool = false
                    _ = FileManager.default.fileExists(atPath: directory.appending("out-\(round)/\(path)").path, isDirectory: &isFolder)
                    return isFolder.boolValue ? nil : PortalFile(path: path, contents: try String(contentsOf: directory.appending("out-\(round)/\(path)"), encoding: .utf8))
                })
            }
            #expect(outputs[0] == outputs[1] && !outputs[0].isEmpty, "two runs differ")
            let manifest = try String(contentsOf: directory.appending("out-0/docs/reference/manifest.mdx"), encoding: .utf8)
            #expect(manifest.contains("| `sampleField` | integer | no | `≥ 3` | A field added by the test. |"), "the new field is in the reference")
            let index = try String(contentsOf: directory.appending("out-0/docs/index.mdx"), encoding: .utf8)
            #expect(index.contains("`zz-sample-app`"), "the new app is listed")
            let matrix = try String(contentsOf: directory.appending("out-0/docs/matrix.mdx"), encoding: .utf8)
            #expect(matrix.contains("| `zz-sample-app` |"), "the new app has a matrix row")
        }
    }

    @Test("the matrix has one row per supported app, computed from the manifests, the adapters, the support table and the launch proofs")
    func matrix() throws {
        let inputs = try PortalInputs.load(checkout: Self.root, commands: [], api: PortalAPIContract.current(), adapters: [
            RuntimeAdapterCapabilities(name: "local", modes: ["interactive", "service", "job"], gpus: true, exec: true, portForward: false, recover: true),
            RuntimeAdapterCapabilities(name: "slurm", modes: ["interactive", "service", "job"], gpus: true, exec: false, portForward: false, recover: true),
        ])
        let page = try #require(PortalGenerator.generate(inputs).files.first { $0.path == "docs/matrix.mdx" }).contents
        // The app table: from its header to the first blank line (the feature table follows it).
        let lines = page.split(separator: "\n", omittingEmptySubsequences: false)
        let header = try #require(lines.firstIndex { $0.hasPrefix("| App |") })
        let rows = lines[header...].prefix { !$0.isEmpty }.filter { $0.hasPrefix("| `") }
        #expect(rows.count == inputs.apps.count, "\(rows.count) rows for \(inputs.apps.count) apps")
        // jupyter-lab asks for kubernetes, which this platform lacks.
        #expect(page.contains("**kubernetes**: launch **gap** — the platform has no kubernetes adapter"), "\(page)")
        // A feature moves a cell only with both the support row and a proof on that adapter:
        // hello on local with every feature it uses applied, then proven one by one.
        func launchOnLocal(_ page: String) throws -> String {
            let row = try #require(page.split(separator: "\n").first { $0.hasPrefix("| `hello` |") })
            return row.components(separatedBy: " | ")[2]
        }
        var supported = inputs
        supported.support = ManifestFeatureSupport.declared.map { row in
            var row = row
            if row.level == .gap { row.level = .validated }
            return row
        }
        let hello = ["access", "billing.usageUnit", "command", "connect", "endpoints", "evidence.readyWithinMinutes", "health.readiness",
                     "lifecycle.restartPolicy", "params", "resources.cpuMillicores", "resources.memoryMiB"]
        supported.proofs = hello.dropLast(3).map { LaunchFeatureProof($0, on: "local", test: "InstanceProcessTests/referenceApp") }
        let unproven = try #require(PortalGenerator.generate(supported).files.first { $0.path == "docs/matrix.mdx" }).contents
        #expect(try launchOnLocal(unproven) == "**gap**")
        #expect(unproven.contains("params: ") && unproven.contains("but no test has launched it on local yet"))
        supported.proofs = hello.map { LaunchFeatureProof($0, on: "local", test: "InstanceProcessTests/referenceApp") }
        // And hello's own artifact, which only a test that launched hello proves.
        let withoutApp = try #require(PortalGenerator.generate(supported).files.first { $0.path == "docs/matrix.mdx" }).contents
        #expect(try launchOnLocal(withoutApp) == "**gap**")
        supported.proofs.append(LaunchFeatureProof("artifact", on: "local", test: "InstanceProcessTests/referenceApp", app: "hello"))
        let after = try #require(PortalGenerator.generate(supported).files.first { $0.path == "docs/matrix.mdx" }).contents
        #expect(try launchOnLocal(after) == "**validated**")
    }

    @Test("a registry file that is not a registry is reported, not silently dropped")
    func diagnostics() throws {
        var inputs = try PortalInputs.load(checkout: Self.root, commands: PortalGenerateCommand.commands(), api: PortalAPIContract.current())
        inputs.registries.append(NamedText(file: "manifests/platform/broken.yaml", text: "registry: broken\nentries: 3\n"))
        let output = PortalGenerator.generate(inputs)
        #expect(output.diagnostics.map(\.description) == ["model: manifests/platform/broken.yaml: not a registry (registry, version and one list)"])
    }

    @Test("every committed page compiles as MDX v3 and passes Docusaurus's rules; a planted bad page is caught")
    func mdxCompiles() async throws {
        let checker = Self.root.appendingPathComponent("scripts/portal/check_mdx.py").path
        let clean = try ChildProcess("/usr/bin/env", ["python3", checker, Self.root.appendingPathComponent("portal").path],
                                     outputPath: FileManager.default.temporaryDirectory.appendingPathComponent("mdx-\(UUID()).log").path)
        #expect(await clean.wait(timeout: .seconds(120)) == 0, "\(clean.output)")
        try await withTemporaryDirectory { directory async throws in
            try FileManager.default.copyItem(at: Self.root.appendingPathComponent("portal"), to: directory.appending("portal"))
            try "---\nid: planted\ntitle: Planted\nsidebar_position: first\n---\n\nA version <5 and a bare {value}.\n"
                .write(to: directory.appending("portal/docs/planted.mdx"), atomically: true, encoding: .utf8)
            try "{\"label\": \"X\", \"colour\": \"red\"}".write(to: directory.appending("portal/docs/reference/_category_.json"), atomically: true, encoding: .utf8)
            let bad = try ChildProcess("/usr/bin/env", ["python3", checker, directory.appending("portal").path], outputPath: directory.appending("check.log").path)
            #expect(await bad.wait(timeout: .seconds(120)) == 1)
            let report = bad.output
            #expect(report.contains("planted.mdx: MDX does not compile"), "\(report)")
            #expect(report.contains("planted.mdx: front matter 'sidebar_position' has the wrong type"), "\(report)")
            #expect(report.contains("unknown _category_ key 'colour'"), "\(report)")
        }
    }
}
