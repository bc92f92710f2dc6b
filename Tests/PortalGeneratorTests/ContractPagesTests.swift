import AppCtlKit
import Foundation
import PlatformAPI
import PortalGenerator
import Testing

/// The portal reads the contract: the API reference lists every typed endpoint with its
/// scope, parameters and types, and the SDK pages include their first-call files verbatim
/// (the files the docs tests run), so a page cannot show a snippet that was not run.
@Suite("Portal: API reference and SDK pages from the contract")
struct ContractPagesTests {
    static let root = PortalGeneratorTests.root

    static func page(_ path: String) throws -> String {
        let inputs = try PortalInputs.load(checkout: root, commands: PortalGenerateCommand.commands(), api: PortalAPIContract.current())
        let output = PortalGenerator.generate(inputs)
        return try #require(output.files.first { $0.path == path }?.contents, "no \(path)")
    }

    @Test func apiReferenceListsEveryTypedEndpointWithItsScopeAndParameters() throws {
        let api = try Self.page("docs/reference/api.mdx")
        for endpoint in Endpoints.all {
            // `signature` is "METHOD /path" (PlatformAPI renders it; this target does not link HTTPTypes).
            let method = endpoint.signature.prefix { $0 != " " }
            #expect(api.contains("### `\(endpoint.operation.rawValue)`\n\n`\(endpoint.signature)`"),
                    "\(endpoint.operation) is not in the reference")
            if let scope = endpoint.scope {
                #expect(api.contains("| `\(endpoint.operation.rawValue)` | `\(method)` | `\(endpoint.path)` | `\(scope)` |"))
            }
            for field in endpoint.queryFields {
                #expect(api.contains("| `\(field.name)` | query |"), "\(endpoint.operation): query \(field.name)")
            }
        }
        #expect(api.contains("## Schemas") && api.contains("### `Caller`"), "the derived schemas are listed")
    }

    @Test func apiReferenceFollowsANewEndpointWithNoOtherEdit() throws {
        var contract = PortalAPIContract.current()
        contract.operations.append(.init(
            id: "getProjectSummary", method: "GET", path: "/v1/projects/{project}/summary", scope: "iam:project:read",
            summary: "Counts of instances, apps and artifacts.", successStatus: 200, eventStream: false,
            pathParameters: [.init(name: "project", type: "string", required: true, summary: "Project.")], queryParameters: [],
            requestBody: nil, responseBody: "Caller"))
        var inputs = try PortalInputs.load(checkout: Self.root, commands: PortalGenerateCommand.commands(), api: contract)
        inputs.api = contract
        let output = PortalGenerator.generate(inputs)
        #expect(output.diagnostics.isEmpty, "\(output.diagnostics)")
        let api = try #require(output.files.first { $0.path == "docs/reference/api.mdx" }?.contents)
        #expect(api.contains("| `getProjectSummary` | `GET` | `/v1/projects/{project}/summary` | `iam:project:read` |"))
    }

    @Test func sdkPagesIncludeTheFirstCallFilesTheDocsTestsRun() throws {
        for (page, file) in [("docs/sdk/python.mdx", SDKPages.pythonFirstCall), ("docs/sdk/swift.mdx", SDKPages.swiftFirstCall)] {
            let text = try Self.page(page)
            let source = try String(contentsOf: Self.root.appendingPathComponent(file), encoding: .utf8)
            #expect(text.contains("title=\"\(file)\"\n\(source)```"), "\(page) does not include \(file) verbatim")
        }
        let swift = try Self.page("docs/sdk/swift.mdx")
        #expect(swift.contains("try await client.send(Endpoints.whoami)"))
        #expect(swift.contains(".product(name: \"PlatformClient\", package: \"Platform\")"))
        let python = try Self.page("docs/sdk/python.mdx")
        #expect(python.contains("pip install ~/platform-client"))
    }
}
