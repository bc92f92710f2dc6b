import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PlatformAPI
import PlatformTestKit
import Testing

/// The server serves the derived document; the drift and shape tests of the document itself
/// are in Tests/PlatformAPITests/OpenAPITests.swift (no server needed).
@Suite("OpenAPI served")
struct OpenAPIServedTests {
    @Test("the server serves the generated document at /openapi.json")
    func served() async throws {
        try await withTemporaryDirectory { directory async throws in
            try await withLiveServer(directory) { client, _ async throws in
                try await client.execute(uri: "/openapi.json", method: .get) { response async throws in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "application/json")
                    #expect(Data(response.body.readableBytesView) == OpenAPIDocument.json())
                }
            }
        }
    }
}
