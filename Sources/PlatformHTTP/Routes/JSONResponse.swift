import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Encodes response documents the same way everywhere: sorted keys, no escaped slashes.
public enum JSONResponse {
    /// Encodes `value` into a response.
    /// - Parameters:
    ///   - value: The document.
    ///   - status: The HTTP status.
    ///   - contentType: Defaults to `application/json`.
    public static func make(
        _ value: some Encodable, status: HTTPResponse.Status = .ok, contentType: String = "application/json"
    ) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data(#"{"error":{"code":"internal.error","message":"encoding failed"}}"#.utf8)
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
