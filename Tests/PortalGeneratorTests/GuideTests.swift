import AppCtlKit
import Foundation
import PlatformTestKit
import PortalGenerator
import Testing

/// The onboarding track and how-tos as data: checked against the CLI and the error codes
/// when generated, and executed by `scripts/portal/run_guides.py` (the docs-as-tests runner,
/// which `GuideProcessTests` drives against a live platformd).
@Suite("Portal guides")
struct GuideTests {
    static let root = PortalGeneratorTests.root

    @Test("the committed guides name only real appctl commands, options and error codes; one page per readiness gate")
    func committedGuidesAreClean() throws {
        let inputs = try PortalInputs.load(checkout: Self.root, commands: PortalGenerateCommand.commands(), api: PortalAPIContract.current())
        let output = PortalGenerator.generate(inputs)
        #expect(output.diagnostics.isEmpty, "\(output.diagnostics)")
        let onboarding = output.files.map(\.path).filter { $0.hasPrefix("docs/onboarding/") && $0.hasSuffix(".mdx") }
        #expect(onboarding.count == 7, "an overview and six gates: \(onboarding)")
        for gate in ["api-contract", "example-app", "credential-flow", "portal-entry", "runtime-evidence", "artifact-trust"] {
            let page = try #require(output.files.first { $0.path == "docs/onboarding/\(gate).mdx" }, "\(gate)")
            for part in ["## Prerequisites", "```bash title=\"Run\"", "```text title=\"Expected output\"", "## Gate check", "## Troubleshooting"] {
                #expect(page.contents.contains(part), "\(gate) lacks \(part)")
            }
        }
        #expect(output.files.filter { $0.path.hasPrefix("docs/how-to/") && $0.path.hasSuffix(".mdx") }.count == 6, "six how-tos, the last offers an app to every tenant from the platform catalog")
    }

    @Test("a guide naming a missing command, subcommand, option or error code is a diagnostic, and --check fails on it")
    func brokenGuideIsReported() async throws {
        var inputs = try PortalInputs.load(checkout: Self.root, commands: PortalGenerateCommand.commands(), api: PortalAPIContract.current())
        inputs.howTos.append(NamedText(file: "manifests/portal/how-to/9-broken.yaml", text: """
            id: broken
            title: Broken
            summary: Names things that do not exist.
            steps:
              - title: Run them
                run: |
                  appctl frobnicate now
                  appctl instance explode "$INSTANCE"
                  X=$(appctl launch gpu-echo --project "$PROJECT" --colour red -o json | jq -r .id)
            troubleshooting:
              - code: nope.not_a_code
                fix: Nothing.
            """))
        inputs.onboarding.append(NamedText(file: "manifests/portal/onboarding/9-typo.yaml",
                                           text: "id: typo\ntitle: T\nsummary: S\nsteps:\n  - run: appctl status\ntroubleshootng: []\n"))
        inputs.onboarding.append(NamedText(file: "manifests/portal/onboarding/9-fixless.yaml",
                                           text: "id: fixless\ntitle: T\nsummary: S\nsteps:\n  - run: appctl status\ntroubleshooting:\n  - code: iam.forbidden\n"))
        let problems = PortalGenerator.generate(inputs).diagnostics.map(\.description)
        #expect(problems == [
            "model: manifests/portal/onboarding/9-typo.yaml: unknown key `troubleshootng`",
            "model: manifests/portal/onboarding/9-fixless.yaml: troubleshooting 1 needs `code` and `fix`",
            "model: manifests/portal/how-to/9-broken.yaml: `appctl frobnicate now` is not an appctl command",
            "model: manifests/portal/how-to/9-broken.yaml: `appctl instance explode` is not an appctl command",
            "model: manifests/portal/how-to/9-broken.yaml: `appctl launch` has no option --colour",
            "model: manifests/portal/how-to/9-broken.yaml: troubleshooting names `nope.not_a_code`, which is not an error code",
        ], "\(problems)")

        try await withTemporaryDirectory { directory async throws in
            for folder in ["manifests", "portal", "examples"] {
                try FileManager.default.copyItem(at: Self.root.appendingPathComponent(folder), to: directory.appending(folder))
            }
            let (clean, cleanOutput) = await PortalGeneratorTests.appctl(["portal", "generate", "--check", "--root", directory.path])
            #expect(clean == 0, "\(cleanOutput)")
            try "id: x\ntitle: X\nsummary: Y\nsteps:\n  - run: appctl frobnicate\n"
                .write(to: directory.appending("manifests/portal/how-to/9-x.yaml"), atomically: true, encoding: .utf8)
            let (code, output) = await PortalGeneratorTests.appctl(["portal", "generate", "--check", "--root", directory.path])
            #expect(code != 0 && output.contains("`appctl frobnicate` is not an appctl command"), "\(output)")
        }
    }

    @Test("run_guides.py runs Run blocks in one shell, matches Expected output with … wildcards, and fails a wrong or failing step")
    func runnerCatchesFailures() async throws {
        try await withTemporaryDirectory { directory async throws in
            let runner = Self.root.appendingPathComponent("scripts/portal/run_guides.py").path
            func run(_ page: String) async throws -> (Int32?, String) {
                let file = directory.appending("page-\(UUID()).mdx")
                try page.write(to: file, atomically: true, encoding: .utf8)
                let process = try ChildProcess("/usr/bin/env", ["python3", runner, file.path], outputPath: file.path + ".log")
                return (await process.wait(timeout: .seconds(60)), process.output)
            }
            func page(_ expected: String, second: String = "echo \"$GREETING, again\"") -> String {
                "## One\n\n```bash title=\"Run\"\nGREETING=hello\necho \"$GREETING world 42\"\n```\n\n```text title=\"Expected output\"\n\(expected)\n```\n\n## Two\n\n```bash title=\"Run\"\n\(second)\n```\n"
            }
            let (passed, passedOutput) = try await run(page("hello …  42"))
            #expect(passed == 0 && passedOutput.contains("2 of 2 steps passed"), "\(passedOutput)")
            let (wrong, wrongOutput) = try await run(page("goodbye …"))
            #expect(wrong == 1 && wrongOutput.contains("FAIL     page-") && wrongOutput.contains("'goodbye …'"), "\(wrongOutput)")
            let (failing, failingOutput) = try await run(page("hello …", second: "false\necho unreachable"))
            #expect(failing == 1 && failingOutput.contains("a command exited 1") && failingOutput.contains("1 of 2 steps passed"), "\(failingOutput)")
        }
    }
}
