import AppCtlKit
import Foundation
import PlatformTestKit
import Testing

/// `appctl contract check`, the "contract and SDK drift" gate: it passes on the committed
/// tree, fails (exit 65, `contract.drift`, JSON `fail`) when one byte of a committed artifact
/// differs from what the sources generate, and its `--json` is the record a release-evidence
/// bundle keeps.
@Suite("appctl contract check")
struct ContractCheckTests {
    static let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// What `contract check` reads, copied (not the whole checkout: .build is gigabytes).
    static let contractFiles = ["Package.swift", "manifests/api", "sdk/python", "scripts/sdk", "Sources/PlatformAPI", "Sources/PlatformClient"]

    struct Run {
        var status: Int32
        var output: String
        var errors: String
        /// The `--json` document.
        var document: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(output.utf8))) as? [String: Any]) ?? [:] }
        func artifact(_ name: String) -> [String: Any] {
            ((document["artifacts"] as? [[String: Any]]) ?? []).first { $0["name"] as? String == name } ?? [:]
        }
    }

    /// Runs appctl in process with the real environment (the Python generator's venv lives under HOME).
    static func appctl(_ arguments: String...) async -> Run {
        let output = Captured(), errors = Captured()
        let context = CommandContext(environment: ProcessInfo.processInfo.environment,
                                     output: { output.append($0) }, errorOutput: { errors.append($0) })
        let status = await AppCtl.run(arguments: arguments, context: context)
        return Run(status: status, output: output.text, errors: errors.text)
    }

    static func copyContract(to directory: TemporaryDirectory) throws -> URL {
        let copy = directory.appending("checkout")
        for path in contractFiles {
            let target = copy.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: checkout.appendingPathComponent(path), to: target)
        }
        return copy
    }

    static func flipOneByte(_ file: URL) throws {
        var bytes = try Data(contentsOf: file)
        let index = bytes.count / 2
        bytes[index] = bytes[index] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
        try bytes.write(to: file)
    }

    @Test func committedContractArtifactsMatchTheirSources() async throws {
        let run = await Self.appctl("contract", "check", "--repo", Self.checkout.path, "--skip-python", "--json")
        #expect(run.status == 0, "\(run.output)\n\(run.errors)")
        for name in ["openapi", "asyncapi", "sdk-swift"] {
            #expect(run.artifact(name)["status"] as? String == "pass", "\(name): \(run.artifact(name))")
        }
        #expect(run.artifact("sdk-python")["status"] as? String == "skipped")
        #expect(run.document["result"] as? String == "incomplete", "a skipped artifact is never recorded as a pass")
    }

    @Test func oneChangedByteInOpenAPIFailsTheCheck() async throws {
        try await withTemporaryDirectory { directory async throws in
            let copy = try Self.copyContract(to: directory)
            try Self.flipOneByte(copy.appendingPathComponent("manifests/api/openapi.json"))
            let run = await Self.appctl("contract", "check", "--repo", copy.path, "--skip-python", "--json")
            #expect(run.status == 65, "exit 65 (contract.drift): \(run.errors)")
            #expect(run.errors.contains("contract.drift"), "\(run.errors)")
            #expect(run.document["result"] as? String == "fail")
            let openAPI = run.artifact("openapi")
            #expect(openAPI["status"] as? String == "fail")
            #expect(openAPI["committedDigest"] as? String != openAPI["generatedDigest"] as? String)
            #expect(run.artifact("asyncapi")["status"] as? String == "pass", "only the changed artifact fails")
            #expect(run.document["sourceSha"] is NSNull, "a copy outside git has no source SHA")

            let table = await Self.appctl("contract", "check", "--repo", copy.path, "--skip-python")
            #expect(table.status == 65)
            #expect(table.output.contains("openapi") && table.output.contains("FAIL"), "\(table.output)")
        }
    }

    @Test func aMissingAsyncAPIDocumentFailsTheCheck() async throws {
        try await withTemporaryDirectory { directory async throws in
            let copy = try Self.copyContract(to: directory)
            try FileManager.default.removeItem(at: copy.appendingPathComponent("manifests/api/asyncapi.json"))
            let run = await Self.appctl("contract", "check", "--repo", copy.path, "--skip-python", "--json")
            #expect(run.status == 65)
            #expect(run.artifact("asyncapi")["status"] as? String == "fail")
            #expect(run.artifact("asyncapi")["committedDigest"] is NSNull)
        }
    }

    @Test func jsonResultIsTheEvidenceRecord() async throws {
        let run = await Self.appctl("contract", "check", "--repo", Self.checkout.path, "--skip-python", "--json")
        let document = run.document
        #expect(Set(document.keys) == ["sourceSha", "dirty", "checkedAt", "artifacts", "result"], "\(run.output)")
        let sha = try #require(document["sourceSha"] as? String)
        #expect(sha.wholeMatch(of: /[0-9a-f]{40}/) != nil)
        #expect(document["dirty"] is Bool)
        #expect(ISO8601DateFormatter().date(from: document["checkedAt"] as? String ?? "") != nil)
        let artifacts = try #require(document["artifacts"] as? [[String: Any]])
        #expect(artifacts.map { $0["name"] as? String } == ["openapi", "asyncapi", "sdk-python", "sdk-swift"])
        for artifact in artifacts {
            #expect(Set(artifact.keys) == ["name", "path", "committedDigest", "generatedDigest", "status", "detail"])
            #expect((artifact["committedDigest"] as? String)?.wholeMatch(of: /sha256:[0-9a-f]{64}/) != nil, "\(artifact)")
            if artifact["status"] as? String != "skipped" {
                #expect((artifact["generatedDigest"] as? String)?.wholeMatch(of: /sha256:[0-9a-f]{64}/) != nil, "\(artifact)")
            }
        }
        // The committed digest of a document is sha256 of its bytes, so a bundle can verify it.
        let openAPI = try Data(contentsOf: Self.checkout.appendingPathComponent("manifests/api/openapi.json"))
        #expect(run.artifact("openapi")["committedDigest"] as? String == "sha256:" + Self.sha256Hex(openAPI))
    }

    @Test func repoDefaultsToTheNearestPackageAboveTheWorkingDirectory() async {
        // swift test runs from the package root.
        let run = await Self.appctl("contract", "check", "--skip-python", "--json")
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.artifact("openapi")["status"] as? String == "pass")
    }

    static func sha256Hex(_ data: Data) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try? process.run()
        input.fileHandleForWriting.write(data)
        try? input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(text.prefix(64))
    }
}

/// The Python SDK leg runs the pinned generator (a child process, a virtual environment from
/// PyPI on first use), so it runs in the integration tier.
@Suite("appctl contract check: the Python SDK", .serialized, .tags(.integration))
struct ContractCheckPythonTests {
    @Test func regeneratedPythonSDKMatchesTheCommittedTree() async throws {
        let run = await ContractCheckTests.appctl("contract", "check", "--repo", ContractCheckTests.checkout.path, "--json")
        #expect(run.status == 0, "\(run.output)\n\(run.errors)")
        #expect(run.artifact("sdk-python")["status"] as? String == "pass", "\(run.artifact("sdk-python"))")
        #expect(run.document["result"] as? String == "pass")
    }

    @Test func aChangedFileInThePythonSDKFailsTheCheck() async throws {
        try await withTemporaryDirectory { directory async throws in
            let copy = try ContractCheckTests.copyContract(to: directory)
            try ContractCheckTests.flipOneByte(copy.appendingPathComponent("sdk/python/platform-client/platform_client/client.py"))
            let run = await ContractCheckTests.appctl("contract", "check", "--repo", copy.path, "--json")
            #expect(run.status == 65, "\(run.errors)")
            let python = run.artifact("sdk-python")
            #expect(python["status"] as? String == "fail", "\(python)")
            #expect((python["detail"] as? String)?.contains("platform_client/client.py") == true, "\(python)")
        }
    }
}
