import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PlatformHTTP
import PlatformTestKit
import Testing

/// The OpenAPI document cannot drift: it is generated from the route table, the committed
/// copy must equal the generator's output, and every routed operation is documented.
@Suite("OpenAPI contract")
struct OpenAPITests {
    static let committed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("manifests/api/openapi.json")

    @Test("manifests/api/openapi.json equals the generated document (UPDATE_GOLDEN=1 rewrites it)")
    func committedCopyMatches() throws {
        let generated = OpenAPIDocument.json()
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try generated.write(to: Self.committed)
        }
        #expect(try Data(contentsOf: Self.committed) == generated, "regenerate with UPDATE_GOLDEN=1 swift test --filter OpenAPITests")
    }

    @Test("every routed operation is documented and every documented /v1 operation is routed")
    func noDrift() throws {
        #expect(OpenAPIDocument.documentedRoutes == Set(PlatformAPI.routes.map(\.description)))
        let document = try #require(try JSONSerialization.jsonObject(with: OpenAPIDocument.json()) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var operations = Set<String>()
        for (path, methods) in paths where path.hasPrefix("/v1/") {
            let tablePath = path.split(separator: "/").map { $0.hasPrefix("{") ? ":" + $0.dropFirst().dropLast() : String($0) }
                .joined(separator: "/")
            for method in methods.keys { operations.insert("\(method.uppercased()) /\(tablePath)") }
        }
        #expect(operations == Set(PlatformAPI.routes.map(\.description)))
    }

    @Test("the server serves the same document at /openapi.json")
    func served() async throws {
        try await withTemporaryDirectory { directory async throws in
            try await withLiveServer(directory) { client, _ async throws in
                try await client.execute(uri: "/openapi.json", method: .get) { response async throws in
                    #expect(response.status == .ok)
                    #expect(Data(response.body.readableBytesView) == OpenAPIDocument.json())
                }
            }
        }
    }
}
