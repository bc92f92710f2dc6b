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

/// A configuration for an in-process server on a free port, reading its data files from this
/// checkout whatever the working directory.
func testConfiguration(dataDirectory: String, databaseURL: String? = nil) -> ServerConfiguration {
    var configuration = ServerConfiguration(
        dataDirectory: dataDirectory, listen: ListenAddress(host: "127.0.0.1", port: 0),
        databaseURL: databaseURL, logLevel: .warning, logFormat: .json)
    configuration.resourcesDirectory = checkoutRoot.path
    return configuration
}

/// The repository this test target was built from.
let checkoutRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Boots a server on `directory` and runs `body` against it over real sockets.
func withLiveServer<T: Sendable>(
    _ directory: TemporaryDirectory, databaseURL: String? = nil,
    _ body: @escaping @Sendable (any TestClientProtocol, PlatformServer) async throws -> T
) async throws -> T {
    let server = try await PlatformServer.bootstrap(
        testConfiguration(dataDirectory: directory.path, databaseURL: databaseURL), logger: quietLogger)
    // The store is the application's first service: it closes when the application stops.
    return try await server.application.test(.live) { client in try await body(client, server) }
}

/// Decodes a JSON response body.
func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
    try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
}

/// The text of a response body.
func text(_ buffer: ByteBuffer) -> String {
    String(decoding: buffer.readableBytesView, as: UTF8.self)
}
