import Foundation
import Hummingbird
import NIOCore
import PlatformAPI
import PlatformContracts

/// Reads a `/v1` request body as the endpoint's `Body` type: at most 1 MiB, nesting refused
/// with its place before decoding, then the text policy on the decoded fields. An endpoint
/// without a body (``NoBody``) never reads one.
enum RequestBody {
    /// The largest body a `/v1` request may carry.
    static let maxBytes = 1 << 20

    /// The body as `Body`; an empty body is `whenEmpty`, or refused when that is `nil`.
    static func read<Body: Decodable>(_ type: Body.Type, from request: Request, whenEmpty: Body?) async throws -> Body {
        if let none = NoBody() as? Body { return none }
        var request = request
        let buffer = try await request.collectBody(upTo: maxBytes)
        if buffer.readableBytes == 0, let whenEmpty { return whenEmpty }
        return try decode(Body.self, from: buffer)
    }

    /// Decodes a collected body: nesting refused with its place before decoding (Foundation
    /// stops at 512 levels, but only says "not valid JSON"), then the text policy on its fields.
    static func decode<Body: Decodable>(_ type: Body.Type, from buffer: ByteBuffer) throws -> Body {
        do {
            try DocumentLimits.standard.check(json: buffer.readableBytesView)
        } catch {
            throw error.platformError(file: "request body")
        }
        let json = Data(buffer.readableBytesView)
        let body: Body
        do {
            body = try JSONDecoder().decode(Body.self, from: json)
        } catch {
            if let explained = (Body.self as? any ExplainedDecoding.Type)?.explain(json) { throw explained }
            throw PlatformError(.httpBadRequest, "the request body is not the expected JSON: \(error)")
        }
        try RequestText.check(body, json: json)
        return body
    }
}

/// A body type that says in its own words why a document did not decode, where Foundation's
/// message would not tell the client what to send instead.
protocol ExplainedDecoding {
    /// The refusal for `json`, which did not decode; `nil` for the generic message.
    static func explain(_ json: Data) -> PlatformError?
}

extension PromotionRequest: ExplainedDecoding {
    /// An unknown `to` names the states there are.
    static func explain(_ json: Data) -> PlatformError? {
        struct Loose: Decodable { var to: String }
        guard let loose = try? JSONDecoder().decode(Loose.self, from: json), TrustState(rawValue: loose.to) == nil else { return nil }
        return PlatformError(
            .httpBadRequest, "unknown trust state \(loose.to); states: \(TrustState.allCases.map(\.rawValue).joined(separator: ", "))")
    }
}
