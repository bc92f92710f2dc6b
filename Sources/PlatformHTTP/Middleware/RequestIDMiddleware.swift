import HTTPTypes
import Hummingbird

/// Gives every request a correlation id: the caller's `X-Request-ID` when it is a sane
/// token, otherwise Hummingbird's own; echoed on the response.
public struct RequestIDMiddleware: RouterMiddleware {
    /// The header name.
    public static let header = HTTPField.Name("X-Request-ID")!

    /// Creates the middleware.
    public init() {}

    /// Assigns the id and echoes it.
    public func handle(
        _ request: Request, context: PlatformRequestContext,
        next: (Request, PlatformRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.requestID = Self.requestID(for: request)
        var response = try await next(request, context)
        response.headers[Self.header] = context.requestID
        return response
    }

    /// The caller's `X-Request-ID` when it is a sane token, otherwise a fresh one. (Not
    /// `context.id`: that reads the logger's metadata, which a no-op log handler drops.)
    static func requestID(for request: Request) -> String {
        if let incoming = request.headers[header], isAcceptable(incoming) { return incoming }
        return generate()
    }

    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = (UInt64.random(in: .min ... .max, using: &generator), UInt64.random(in: .min ... .max, using: &generator))
        return String(value.0, radix: 16).leftPadded(to: 16) + String(value.1, radix: 16).leftPadded(to: 16)
    }

    static func isAcceptable(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count)
            && id.utf8.allSatisfy { $0 == 45 || $0 == 46 || $0 == 95 || (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
