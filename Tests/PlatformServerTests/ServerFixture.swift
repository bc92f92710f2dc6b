import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PlatformContracts
import PlatformServer
import PlatformStore
import PlatformTestKit

/// A logger that drops everything, so test output stays readable.
let quietLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

/// A configuration for an in-process server on a free port.
func testConfiguration(dataDirectory: String, databaseURL: String? = nil) -> ServerConfiguration {
    ServerConfiguration(
        dataDirectory: dataDirectory, listen: ListenAddress(host: "127.0.0.1", port: 0),
        databaseURL: databaseURL, logLevel: .warning, logFormat: .json)
}

/// Boots a server on `directory` and runs `body` against it over real sockets.
func withLiveServer<T: Sendable>(
    _ directory: TemporaryDirectory, databaseURL: String? = nil,
    _ body: @escaping @Sendable (any TestClientProtocol, PlatformServer) async throws -> T
) async throws -> T {
    let server = try await PlatformServer.bootstrap(
        testConfiguration(dataDirectory: directory.path, databaseURL: databaseURL), logger: quietLogger)
    do {
        let result = try await server.application.test(.live) { client in try await body(client, server) }
        await server.store.shutdown()
        return result
    } catch {
        await server.store.shutdown()
        throw error
    }
}

/// Decodes a JSON response body.
func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
    try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
}

/// The text of a response body.
func text(_ buffer: ByteBuffer) -> String {
    String(decoding: buffer.readableBytesView, as: UTF8.self)
}
