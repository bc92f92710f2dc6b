import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PlatformContracts

/// Turns every error into a JSON ``ErrorBody`` with a stable code. Unknown errors become
/// `internal.error` with the request id; their text stays in the server log.
public struct ErrorMiddleware: RouterMiddleware {
    /// Creates the middleware.
    public init() {}

    /// Maps thrown errors to responses.
    public func handle(
        _ request: Request, context: PlatformRequestContext,
        next: (Request, PlatformRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as PlatformError {
            if error.code.responseStatus.code >= 500 {
                context.logger.error("request failed", metadata: [
                    "code": "\(error.code)", "error": "\(error.message)", "source": "\(error.source)",
                    "request_id": "\(context.requestID)",
                ])
            }
            var response = Self.response(
                status: error.code.responseStatus, code: error.code, message: error.message,
                details: error.details.isEmpty ? nil : error.details, requestID: context.requestID)
            if response.status == .unauthorized {
                response.headers[.wwwAuthenticate] = #"Bearer realm="platformd", Basic realm="platformd""#
            }
            return response
        } catch let error as any HTTPResponseError {
            let code = HTTPErrorMapping.code(for: error.status)
            let message = code == .httpNotFound
                ? "no route for \(request.method) \(request.uri.path)"
                : (error as? HTTPError)?.body ?? "\(error.status.reasonPhrase)"
            return Self.response(status: error.status, code: code, message: message, details: nil, requestID: context.requestID)
        } catch {
            context.logger.error("unexpected error", metadata: [
                "error": "\(String(reflecting: error))", "request_id": "\(context.requestID)",
            ])
            return Self.response(
                status: .internalServerError, code: .internalError,
                message: "unexpected server error; see the server log for request \(context.requestID)",
                details: nil, requestID: context.requestID)
        }
    }

    /// Builds an error response.
    public static func response(
        status: HTTPResponse.Status, code: ErrorCode, message: String, details: [String: String]?, requestID: String?
    ) -> Response {
        let body = ErrorBody(code: code, message: message, details: details, requestID: requestID)
        return JSONResponse.make(body, status: status)
    }
}
