/// An error code of the OCI Distribution protocol, the `code` of each entry in a `/v2/` error
/// body (`{"errors":[{"code":"MANIFEST_UNKNOWN",…}]}`). Registry clients (docker, oras,
/// skopeo) branch on these, not on the platform's own ``ErrorCode``, which the registry sends
/// beside them in `detail.code`.
///
/// The first fourteen are the Distribution specification's table (code-1 to code-14). The last
/// three come from the Docker Registry HTTP API V2 that the specification grew out of, and
/// that clients still read: ``unknown`` where no code fits, ``unavailable`` for a dependency
/// that is down, ``paginationNumberInvalid`` for a bad `n` on a listing.
public enum OCIErrorCode: String, CaseIterable, Sendable {
    /// The blob is unknown to the registry in this repository.
    case blobUnknown = "BLOB_UNKNOWN"
    /// The blob upload hit an error and cannot proceed (also: a chunk out of order).
    case blobUploadInvalid = "BLOB_UPLOAD_INVALID"
    /// The upload session was cancelled, finished or never started.
    case blobUploadUnknown = "BLOB_UPLOAD_UNKNOWN"
    /// The content does not match the digest the client named.
    case digestInvalid = "DIGEST_INVALID"
    /// A manifest references a blob the repository does not have.
    case manifestBlobUnknown = "MANIFEST_BLOB_UNKNOWN"
    /// The manifest failed validation.
    case manifestInvalid = "MANIFEST_INVALID"
    /// No manifest with that tag or digest in the repository.
    case manifestUnknown = "MANIFEST_UNKNOWN"
    /// The repository name is not valid.
    case nameInvalid = "NAME_INVALID"
    /// The repository is not known to the registry.
    case nameUnknown = "NAME_UNKNOWN"
    /// The content's size does not match, or is over the limit.
    case sizeInvalid = "SIZE_INVALID"
    /// Authentication is required.
    case unauthorized = "UNAUTHORIZED"
    /// The credentials do not allow the operation.
    case denied = "DENIED"
    /// The operation is not supported.
    case unsupported = "UNSUPPORTED"
    /// Too many requests.
    case tooManyRequests = "TOOMANYREQUESTS"
    /// Docker Registry V2: an error no other code describes.
    case unknown = "UNKNOWN"
    /// Docker Registry V2: the service is unavailable; retry later.
    case unavailable = "UNAVAILABLE"
    /// Docker Registry V2: the `n` of a listing is not a valid number.
    case paginationNumberInvalid = "PAGINATION_NUMBER_INVALID"

    /// Whether the code is in the Distribution specification's own table, rather than one of
    /// the three Docker Registry V2 codes it kept from its predecessor.
    public var isInDistributionSpecification: Bool {
        switch self {
        case .blobUnknown, .blobUploadInvalid, .blobUploadUnknown, .digestInvalid, .manifestBlobUnknown, .manifestInvalid,
             .manifestUnknown, .nameInvalid, .nameUnknown, .sizeInvalid, .unauthorized, .denied, .unsupported,
             .tooManyRequests:
            true
        case .unknown, .unavailable, .paginationNumberInvalid:
            false
        }
    }
}
