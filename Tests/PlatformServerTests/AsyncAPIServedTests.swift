import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PlatformAPI
import PlatformTestKit
import Testing

/// A live platformd serves the AsyncAPI document without authentication, byte for byte what
/// the generator (and so the committed manifests/api/asyncapi.json) holds.
@Suite("AsyncAPI served")
struct AsyncAPIServedTests {
    @Test("GET /asyncapi.json answers the generated document, unauthenticated, as JSON")
    func servedWithoutAuthentication() async throws {
        let expected = try AsyncAPIDocument.generate()
        try await withTemporaryDirectory { directory async throws in
            try await withLiveServer(directory) { client, _ async throws in
                try await client.execute(uri: "/asyncapi.json", method: .get) { response async throws in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "application/json")
                    #expect(Data(response.body.readableBytesView) == expected)
                }
            }
        }
    }
}
