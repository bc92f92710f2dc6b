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
        case .httpPayloadTooLarge: .contentTooLarge
        case .httpParameterInvalid: .badRequest
        case .blobUploadClosed: .conflict
        case .blobStorageFailed: .internalServerError
        case .httpMethodNotAllowed: .methodNotAllowed
        case .iamUnauthenticated, .iamKeyMalformed, .iamKeyInvalid: .unauthorized
        case .iamForbidden: .forbidden
        case .iamNotFound, .appNotFound: .notFound
        case .appVersionExists: .conflict
        case .iamConflict: .conflict
        case .iamScopeUnknown, .iamScopeNotHeld, .iamExpiryInvalid, .iamInvalidRequest, .auditVerificationFailed, .manifestInvalid,
             .manifestsTooComplex: .badRequest
        case .auditUnavailable: .serviceUnavailable
        case .validationInvalidText, .auditLogInconsistent, .auditKeyMismatch: .badRequest
        case .artifactNameInvalid, .artifactUploadInvalid, .artifactDigestInvalid, .artifactSizeInvalid, .artifactManifestInvalid,
             .artifactManifestBlobUnknown, .signingKeyInvalid, .archiveUnsafe, .archiveTooLarge, .archiveInvalid:
            .badRequest
        case .artifactNameUnknown, .artifactBlobUnknown, .artifactUploadUnknown, .artifactManifestUnknown, .artifactNotFound,
             .signingKeyNotFound:
            .notFound
        case .artifactRangeInvalid: .rangeNotSatisfiable
        case .artifactManifestTooLarge: .contentTooLarge
        case .artifactUnsupported: .methodNotAllowed
        case .artifactPullGated, .artifactSignatureInvalid, .artifactSignatureKeyUnknown, .artifactSignatureKeyRevoked,
             .artifactSignatureSubjectMismatch, .artifactSignatureMalformed, .artifactEvidenceTypeUnknown:
            .forbidden
        case .artifactPromotionBlocked, .artifactTransitionInvalid, .signingKeyExists, .runtimePlacementUnsatisfiable: .conflict
        case .instanceNotFound, .connectActionNotFound, .connectSessionNotFound: .notFound
        case .connectTTLExceedsPolicy, .connectSSHKeyInvalid: .badRequest
        case .connectInstanceNotReady: .conflict
        case .connectUpstreamUnavailable: .badGateway
        case .connectOriginNotAllowed: .forbidden
        case .instanceLaunchInvalid, .runtimeSpecInvalid: .badRequest
        case .instanceArtifactUntrusted: .forbidden
        case .instanceQuotaExceeded: .tooManyRequests
        case .instancePhaseConflict: .conflict
        case .runtimeAdapterUnavailable: .serviceUnavailable
        case .runtimeStartFailed, .runtimeHandleInvalid, .runtimeCommandFailed: .internalServerError
        default: .internalServerError
        }
    }

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

/// The OCI Distribution error for a platform error code: the spec's code and the status
/// registry clients expect (`/v2/` speaks the spec's error format, not the `/v1` one).
public enum OCIErrorMapping {
    /// `(spec code, HTTP status)` for a code.
    public static func map(_ code: ErrorCode) -> (String, HTTPResponse.Status) {
        switch code {
        case .artifactNameInvalid: ("NAME_INVALID", .badRequest)
        case .artifactNameUnknown, .iamNotFound: ("NAME_UNKNOWN", .notFound)
        case .artifactBlobUnknown, .blobNotFound: ("BLOB_UNKNOWN", .notFound)
        case .artifactUploadUnknown: ("BLOB_UPLOAD_UNKNOWN", .notFound)
        case .artifactUploadInvalid: ("BLOB_UPLOAD_INVALID", .badRequest)
        case .artifactRangeInvalid, .blobRangeInvalid: ("BLOB_UPLOAD_INVALID", .rangeNotSatisfiable)
        case .artifactDigestInvalid, .blobDigestInvalid, .blobDigestMismatch: ("DIGEST_INVALID", .badRequest)
        case .artifactSizeInvalid: ("SIZE_INVALID", .badRequest)
        case .artifactManifestInvalid, .httpBadRequest: ("MANIFEST_INVALID", .badRequest)
        case .artifactManifestTooLarge, .httpPayloadTooLarge: ("SIZE_INVALID", .contentTooLarge)
        case .httpParameterInvalid: ("PAGINATION_NUMBER_INVALID", .badRequest)
        case .artifactManifestBlobUnknown: ("MANIFEST_BLOB_UNKNOWN", .badRequest)
        case .artifactManifestUnknown: ("MANIFEST_UNKNOWN", .notFound)
        case .artifactUnsupported, .httpMethodNotAllowed: ("UNSUPPORTED", .methodNotAllowed)
        case .iamUnauthenticated, .iamKeyMalformed, .iamKeyInvalid: ("UNAUTHORIZED", .unauthorized)
        case .iamForbidden, .artifactPullGated, .artifactSignatureInvalid, .artifactSignatureKeyUnknown,
             .artifactSignatureKeyRevoked, .artifactSignatureSubjectMismatch, .artifactSignatureMalformed,
             .artifactEvidenceTypeUnknown:
            ("DENIED", .forbidden)
        case .storeUnavailable, .auditUnavailable: ("UNAVAILABLE", .serviceUnavailable)
        default: ("UNKNOWN", HTTPErrorMapping.status(for: code))
        }
    }
}
