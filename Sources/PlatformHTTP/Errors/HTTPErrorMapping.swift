import HTTPTypes
import PlatformContracts

extension ErrorCode {
    /// The status this code answers with: the code's own ``ErrorCode/httpStatus``, declared
    /// beside the code in PlatformContracts. The edge keeps no table of its own.
    public var responseStatus: HTTPResponse.Status { HTTPResponse.Status(code: httpStatus.rawValue) }
}

/// The way back, for statuses that Hummingbird itself raised (no route, bad method).
public enum HTTPErrorMapping {
    /// The code for a status that Hummingbird itself raised (no route, bad method).
    public static func code(for status: HTTPResponse.Status) -> ErrorCode {
        switch status {
        case .notFound: .httpNotFound
        case .methodNotAllowed: .httpMethodNotAllowed
        case .contentTooLarge: .httpPayloadTooLarge
        case .badRequest, .unsupportedMediaType: .httpBadRequest
        default: .internalError
        }
    }
}
