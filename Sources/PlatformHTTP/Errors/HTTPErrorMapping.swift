import HTTPTypes
import PlatformContracts

/// The one table from error codes to HTTP statuses. Only the HTTP edge knows statuses.
public enum HTTPErrorMapping {
    /// The status a code answers with.
    public static func status(for code: ErrorCode) -> HTTPResponse.Status {
        switch code {
        case .storeUnavailable: .serviceUnavailable
        case .storeConflict: .conflict
        case .storeSchemaTooNew, .storeMigrationFailed, .storeQueryFailed, .storeInvalidURL: .internalServerError
        case .blobNotFound, .httpNotFound: .notFound
        case .blobDigestMismatch, .blobDigestInvalid, .httpBadRequest, .configInvalid: .badRequest
        case .blobRangeInvalid: .rangeNotSatisfiable
        case .blobUploadClosed: .conflict
        case .blobStorageFailed: .internalServerError
        case .httpMethodNotAllowed: .methodNotAllowed
        case .iamUnauthenticated, .iamKeyMalformed, .iamKeyInvalid: .unauthorized
        case .iamForbidden: .forbidden
        case .iamNotFound, .appNotFound: .notFound
        case .appVersionExists: .conflict
        case .iamConflict: .conflict
        case .iamScopeUnknown, .iamScopeNotHeld, .iamExpiryInvalid, .iamInvalidRequest, .auditVerificationFailed, .manifestInvalid: .badRequest
        case .auditUnavailable: .serviceUnavailable
        default: .internalServerError
        }
    }

    /// The code for a status that Hummingbird itself raised (no route, bad method).
    public static func code(for status: HTTPResponse.Status) -> ErrorCode {
        switch status {
        case .notFound: .httpNotFound
        case .methodNotAllowed: .httpMethodNotAllowed
        case .badRequest, .contentTooLarge, .unsupportedMediaType: .httpBadRequest
        default: .internalError
        }
    }
}
