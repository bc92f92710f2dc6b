import AppCtlKit
import ArgumentParser
import Foundation
import PlatformContracts
@testable import PortalGenerator
import Testing

/// The per-app pages: one per manifest in `manifests/apps/`, generated from it alone, whose
/// "launch it" snippet names only real appctl commands (the guide check, at generation) and
/// parses with appctl's own argument parser (here), so a snippet that stops working fails.
@Suite("Portal app pages")
struct AppPagesTests {
    static let root = PortalGeneratorTests.root

    static func inputs() throws -> PortalInputs {
        try PortalInputs.load(checkout: root, commands: PortalGenerateCommand.commands(), api: PortalAPIContract.current(),
                              adapters: LaunchFeatureProofTests.adapters)
    }

    static func page(_ output: PortalOutput, _ app: String) throws -> String {
        try #require(output.files.first { $0.path == "docs/apps/\(app).mdx" }, "no page for \(app)").contents
    }

    /// The lines of a page's `bash title="Launch it"` block.
    static func snippet(_ page: String) throws -> [String] {
        let lines = page.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex { $0.hasPrefix("```bash title=\"Launch it\"") }, "no snippet")
        return Array(lines[(start + 1)...].prefix { !$0.hasPrefix("```") })
    }

    /// The words of the `appctl` call on a line, as the shell gives them to appctl (quotes removed).
    static func arguments(_ line: String) -> [String]? {
        Guide.appctlWords(line).map { words in words.map { $0.replacingOccurrences(of: "\"", with: "").replacingOccurrences(of: "'", with: "") } }
    }

    @Test("every app in manifests/apps has a page: what it is, parameters, endpoints with connect commands, resources, volumes, secrets, its matrix row; the sidebar lists it")
    func everyAppHasAPage() throws {
        let inputs = try Self.inputs()
        let output = PortalGenerator.generate(inputs)
        #expect(output.diagnostics.isEmpty, "\(output.diagnostics)")
        let sidebar = try #require(output.files.first { $0.path == "sidebars.js" }).contents
        #expect(inputs.apps.count >= 7)
        for file in inputs.apps {
            let name = try #require(((try PortalYAML.load(file.text) as? [String: Any])?["metadata"] as? [String: Any])?["name"] as? String)
            let page = try Self.page(output, name)
            for part in ["# \(name)", "Source: `\(file.file)`", "## Launch it", "## Parameters", "## Endpoints and connect actions",
                         "## Resources", "## Volumes and secrets", "## Matrix row", "appctl launch \(name) --project \"$PROJECT\""] {
                #expect(page.contains(part), "\(name) lacks \(part)")
            }
            #expect(sidebar.contains("\"apps/\(name)\""), "the sidebar lacks \(name)")
        }
        let vllm = try Self.page(output, "vllm-inference")
        // A required parameter without a default is in the launch line; an enum lists its values.
        #expect(vllm.contains("--param \"model=$MODEL\""), "\(vllm)")
        #expect(vllm.contains("| `tensor_parallel` | integer | no | `4` | `1`, `2`, `4`, `8` |"), "\(vllm)")
        #expect(vllm.contains("| GPU | 4 × h100 or h200, sharing exclusive, at least 80000 MiB each |"), "\(vllm)")
        #expect(vllm.contains("appctl secret set hugging-face --purpose app-runtime --from-file ./hugging-face.txt --project \"$PROJECT\""))
        #expect(vllm.contains("PROJECT=inference"), "its secret names project inference")
        #expect(vllm.contains("`appctl connect \"$INSTANCE\" tunnel --project \"$PROJECT\" --local-port 0`"), "\(vllm)")
        #expect(vllm.contains("needs an NVIDIA GPU"), "the matrix row gives its reason")
        let gpuEcho = try Self.page(output, "gpu-echo")
        #expect(gpuEcho.contains("`appctl connect \"$INSTANCE\" ssh --project \"$PROJECT\" --ssh`"))
        #expect(gpuEcho.contains("`appctl connect \"$INSTANCE\" open --project \"$PROJECT\" --print-url`"))
        #expect(gpuEcho.contains("appctl instance stop \"$INSTANCE\" --project \"$PROJECT\""))
        #expect(gpuEcho.contains("| local | **validated** |"), "\(gpuEcho)")
        let job = try Self.page(output, "finetune-job")
        #expect(job.contains("appctl instance logs \"$INSTANCE\" --project \"$PROJECT\" -f"), "a job is followed to its end")
        #expect(!job.contains("--wait -o json"), "a job is not waited for before its port forward")
    }

    @Test("each page's launch snippet parses with appctl's argument parser, line by line; a wrong option does not")
    func snippetsParse() throws {
        let output = PortalGenerator.generate(try Self.inputs())
        let pages = output.files.filter { $0.path.hasPrefix("docs/apps/") && $0.path.hasSuffix(".mdx") }
        #expect(pages.count >= 7)
        var parsed = 0
        for page in pages {
            let lines = try Self.snippet(page.contents)
            #expect(lines.contains { $0.contains("appctl launch ") }, "\(page.path) has no launch line")
            for line in lines {
                guard let arguments = Self.arguments(line) else { continue }
                do {
                    _ = try AppCtl.parseAsRoot(arguments)
                    parsed += 1
                } catch {
                    Issue.record("\(page.path): `\(line)` does not parse: \(AppCtl.fullMessage(for: error))")
                }
            }
        }
        #expect(parsed >= pages.count * 3, "a launch, a connect or stop per page at least")
        // The check is not vacuous: the same words with an option appctl lacks are refused.
        let broken = try #require(Self.arguments("INSTANCE=$(appctl launch gpu-echo --project \"$PROJECT\" --colour red --wait -o json | jq -r .id)"))
        #expect(throws: (any Error).self) { _ = try AppCtl.parseAsRoot(broken) }
    }

    @Test("a new app, parameter, secret and connect action appear on its page with no other edit; the snippet is checked against the CLI")
    func newAppAppears() throws {
        var inputs = try Self.inputs()
        inputs.apps.append(NamedText(file: "manifests/apps/zz-new.yaml", text: """
            apiVersion: apps.platform/v1
            kind: App
            metadata: {name: zz-new, version: 0.1.0, owner: test-team, lifecycle: experimental, description: A page the test adds.}
            artifact: {reference: apps/zz-new:0.1.0, type: app-image, requiredTrust: verified}
            mode: service
            resources: {cpuMillicores: 500, memoryMiB: 256, gpu: {count: 1, models: [a100], sharing: mig, migProfile: 1g.10gb}}
            command: ["/bin/serve", "${params.corpus}"]
            params:
              - {name: corpus, type: string, required: true, description: Where the corpus lives.}
              - {name: level, type: integer, enum: [1, 2], default: 1}
            secrets:
              - {name: API_KEY, ref: "secret:///zz-key", env: true}
            volumes:
              - {name: cache, mountPath: /cache, sizeMiB: 64}
            endpoints:
              - {name: http, port: 8080, protocol: http}
              - {name: ssh, port: 2222, protocol: ssh}
            connect:
              - {name: open, type: web, endpoint: http, credentialTTLSeconds: 600, pathPrefix: keep}
              - {name: shell, type: ssh, endpoint: ssh}
            runtime: {adapters: [local]}
            """))
        let first = PortalGenerator.generate(inputs)
        #expect(first.diagnostics.isEmpty, "\(first.diagnostics)")
        #expect(PortalGenerator.generate(inputs).files == first.files, "two runs differ")
        let page = try Self.page(first, "zz-new")
        #expect(try Self.snippet(page) == [
            "PROJECT=my-project",
            "appctl secret set zz-key --purpose app-runtime --from-file ./zz-key.txt --project \"$PROJECT\"",
            "CORPUS=change-me   # required string: Where the corpus lives.",
            "INSTANCE=$(appctl launch zz-new --project \"$PROJECT\" --param \"corpus=$CORPUS\" --wait -o json | jq -r .id)",
            "appctl connect \"$INSTANCE\" open --project \"$PROJECT\" --print-url",
            "appctl connect \"$INSTANCE\" shell --project \"$PROJECT\" --ssh",
            "appctl instance stop \"$INSTANCE\" --project \"$PROJECT\"",
        ])
        for part in ["| `corpus` | string | yes |  |  | Where the corpus lives. |", "| `level` | integer | no | `1` | `1`, `2` |",
                     "| GPU | 1 × a100, sharing mig, MIG profile 1g.10gb |", "| CPU | 500 millicores (0.5 cores) |",
                     "| `cache` | `/cache` | scratch | 64 MiB | no |", "| `API_KEY` | `zz-key` of the launching project | `/run/secrets/API_KEY` and the variable `API_KEY` |",
                     "| `open` | web | `http` | 600 s | `appctl connect \"$INSTANCE\" open --project \"$PROJECT\" --print-url` | `pathPrefix: keep` |", "| Version | `0.1.0` |", "| Owner | `test-team` |", "| Lifecycle | `experimental` |",
                     "| Runs | `/bin/serve ${params.corpus}` |"] {
            #expect(page.contains(part), "the page lacks \(part)\n\(page)")
        }
        #expect(try #require(first.files.first { $0.path == "docs/index.mdx" }).contents.contains("[`zz-new`](apps/zz-new)"))

        // A CLI without `secret set` (as if it were renamed): the snippet is a diagnostic, so `--check` fails.
        inputs.commands.removeAll { $0.path == ["secret", "set"] }
        let problems = PortalGenerator.generate(inputs).diagnostics.map(\.description)
        #expect(problems.contains("model: manifests/apps/zz-new.yaml: launch snippet: `appctl secret set` is not an appctl command"), "\(problems)")
    }

    @Test("an app's launch is validated only through a proof that launched that app; an app's own support row gives its honest reason")
    func perAppMatrix() throws {
        var inputs = try Self.inputs()
        var diagnostics: [PortalDiagnostic] = []
        func row(_ app: String) throws -> SupportMatrix.Row {
            try #require(PortalModel.build(inputs, diagnostics: &diagnostics).matrix.rows.first { $0.app == app })
        }
        // vllm-inference lists slurm (index 1) and kubernetes; vscode-server local (index 0).
        let vllm = try row("vllm-inference").launch[1]
        #expect(vllm.level == "gap" && vllm.reason.contains("artifact: vLLM needs an NVIDIA GPU"), "\(vllm)")
        let vscode = try row("vscode-server").launch[0]
        #expect(vscode.level == "gap" && vscode.reason.contains("is not reachable"), "\(vscode)")
        // runtime.overrides names slurm only: it does not count against jupyter-lab on local.
        let jupyter = try row("jupyter-lab")
        #expect(jupyter.features.contains("runtime.overrides") && !jupyter.launch[0].reason.contains("runtime.overrides"), "\(jupyter.launch[0])")
        #expect(jupyter.launch[1].reason.contains("runtime.overrides"), "\(jupyter.launch[1])")
        // Every feature applied and proven on local, but no test launched hello itself.
        inputs.support = ManifestFeatureSupport.declared.map { row in
            var row = row
            if row.level == .gap, row.apps == nil { row.level = .validated }
            return row
        }
        let features = try row("hello").features
        inputs.proofs = features.map { LaunchFeatureProof($0, on: "local", test: "InstanceProcessTests/referenceApp", app: "gpu-echo") }
        let unproven = try row("hello").launch[0]
        #expect(unproven.level == "gap" && unproven.reason.contains("no test has launched hello on local yet"), "\(unproven)")
        inputs.proofs.append(LaunchFeatureProof("artifact", on: "local", test: "SomeTests/helloRuns", app: "hello"))
        let proven = try row("hello").launch[0]
        #expect(proven.level == "validated" && proven.proofs.contains("SomeTests/helloRuns"), "\(proven)")
    }
}
