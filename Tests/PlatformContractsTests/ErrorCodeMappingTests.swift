import Foundation
import PlatformContracts
import Testing

/// Each ``ErrorCode`` declares its own HTTP status and OCI code. The compiler already refuses a
/// code without them (the switches have no `default`); these tests guard the values: a status
/// that moves, a registry code outside the Distribution protocol, or a code list that no longer
/// matches the portal's published reference.
@Suite("Error code mapping")
struct ErrorCodeMappingTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("every code answers with a 4xx or 5xx status, and has a unique, dotted raw value")
    func everyCodeMapsToAnErrorStatus() {
        let raw = ErrorCode.allCases.map(\.rawValue)
        #expect(Set(raw).count == raw.count, "two cases share a raw value")
        for code in ErrorCode.allCases {
            #expect((400...599).contains(code.httpStatus.rawValue), "\(code)")
            #expect(ErrorCode(rawValue: code.rawValue) == code, "\(code) does not round-trip")
            #expect(code.description == code.rawValue)
        }
    }

    /// Codes clients, the CLI and runbooks key on, with the status each has always answered with.
    static let pinned: [(ErrorCode, String, Int, String?)] = [
        (.storeUnavailable, "store.unavailable", 503, "UNAVAILABLE"),
        (.storeConflict, "store.conflict", 409, nil),
        (.storeQueryFailed, "store.query_failed", 500, nil),
        (.blobNotFound, "blob.not_found", 404, "BLOB_UNKNOWN"),
        (.blobRangeInvalid, "blob.range_invalid", 416, "BLOB_UPLOAD_INVALID"),
        (.httpMethodNotAllowed, "http.method_not_allowed", 405, "UNSUPPORTED"),
        (.httpPayloadTooLarge, "http.payload_too_large", 413, "SIZE_INVALID"),
        (.httpParameterInvalid, "http.parameter_invalid", 400, "PAGINATION_NUMBER_INVALID"),
        (.internalError, "internal.error", 500, nil),
        (.iamUnauthenticated, "iam.unauthenticated", 401, "UNAUTHORIZED"),
        (.iamForbidden, "iam.forbidden", 403, "DENIED"),
        (.iamNotFound, "iam.not_found", 404, "NAME_UNKNOWN"),
        (.manifestInvalid, "manifest.invalid", 400, nil),
        (.artifactManifestUnknown, "artifacts.manifest_unknown", 404, "MANIFEST_UNKNOWN"),
        (.artifactManifestBlobUnknown, "artifacts.manifest_blob_unknown", 400, "MANIFEST_BLOB_UNKNOWN"),
        (.artifactUnsupported, "artifacts.unsupported", 405, "UNSUPPORTED"),
        (.artifactPullGated, "artifacts.pull_gated", 403, "DENIED"),
        (.artifactPromotionBlocked, "artifacts.promotion_blocked", 409, nil),
        (.runtimeAdapterUnavailable, "runtime.adapter_unavailable", 503, nil),
        (.instanceQuotaExceeded, "apps.quota_exceeded", 429, nil),
        (.instancePhaseConflict, "apps.instance_phase_conflict", 409, nil),
        (.connectUpstreamUnavailable, "connect.upstream_unavailable", 502, nil),
        (.clientUnexpectedResponse, "client.unexpected_response", 500, nil),
    ]

    @Test("well-known codes keep their raw value, HTTP status and registry code", arguments: 0..<pinned.count)
    func wellKnownCodesKeepTheirMapping(_ index: Int) {
        let (code, raw, status, oci) = Self.pinned[index]
        #expect(code.rawValue == raw)
        #expect(code.httpStatus.rawValue == status, "\(code)")
        #expect(code.ociCode?.rawValue == oci, "\(code)")
    }

    @Test("registry codes are the Distribution specification's, plus the three Docker Registry V2 codes it kept")
    func ociCodesComeFromTheDistributionSpecification() {
        // opencontainers/distribution-spec, spec.md, "Error Codes": code-1 … code-14.
        let specification: Set = [
            "BLOB_UNKNOWN", "BLOB_UPLOAD_INVALID", "BLOB_UPLOAD_UNKNOWN", "DIGEST_INVALID", "MANIFEST_BLOB_UNKNOWN",
            "MANIFEST_INVALID", "MANIFEST_UNKNOWN", "NAME_INVALID", "NAME_UNKNOWN", "SIZE_INVALID", "UNAUTHORIZED",
            "DENIED", "UNSUPPORTED", "TOOMANYREQUESTS",
        ]
        let dockerV2: Set = ["UNKNOWN", "UNAVAILABLE", "PAGINATION_NUMBER_INVALID"]
        #expect(Set(OCIErrorCode.allCases.filter(\.isInDistributionSpecification).map(\.rawValue)) == specification)
        #expect(Set(OCIErrorCode.allCases.filter { !$0.isInDistributionSpecification }.map(\.rawValue)) == dockerV2)
        for code in ErrorCode.allCases {
            if let oci = code.ociCode { #expect(specification.union(dockerV2).contains(oci.rawValue), "\(code)") }
        }
    }

    /// The status the Distribution specification gives each code (and the Docker V2 codes'
    /// own), so that a code's registry answer never contradicts its HTTP status.
    static func statusesAllowed(for oci: OCIErrorCode) -> Set<Int> {
        switch oci {
        case .blobUnknown, .blobUploadUnknown, .manifestUnknown, .nameUnknown: [404]
        case .blobUploadInvalid: [400, 416]
        case .digestInvalid, .manifestBlobUnknown, .manifestInvalid, .nameInvalid, .paginationNumberInvalid: [400]
        case .sizeInvalid: [400, 413]
        case .unauthorized: [401]
        case .denied: [403]
        case .unsupported: [405]
        case .tooManyRequests: [429]
        case .unavailable: [503]
        case .unknown: Set(400...599)
        }
    }

    @Test("a code's registry code agrees with its HTTP status")
    func registryCodeAgreesWithStatus() {
        for code in ErrorCode.allCases {
            guard let oci = code.ociCode else { continue }
            #expect(Self.statusesAllowed(for: oci).contains(code.httpStatus.rawValue), "\(code): \(oci.rawValue) with \(code.httpStatus.rawValue)")
        }
    }

    @Test("the portal's error reference lists exactly the defined codes, each with its status and registry code")
    func portalReferenceMatchesTheCodes() throws {
        let page = try String(contentsOf: Self.root.appending(path: "portal/docs/reference/error-codes.mdx"), encoding: .utf8)
        // Rows: | `code` | area | HTTP | `REGISTRY` or empty | appctl exit | guides |
        var documented: [String: (status: String, oci: String)] = [:]
        for line in page.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            try #require(cells.count == 8, "\(line): not the six columns the generator writes")
            let unquote = { (cell: String) in cell.trimmingCharacters(in: CharacterSet(charactersIn: "`")) }
            documented[unquote(cells[1])] = (cells[3], unquote(cells[4]))
        }
        #expect(documented.keys.sorted() == ErrorCode.allCases.map(\.rawValue).sorted(),
                "portal/ is stale: run `swift run appctl portal generate`")
        for code in ErrorCode.allCases {
            guard let row = documented[code.rawValue] else { continue }
            #expect(row.status == "\(code.httpStatus.rawValue)", "\(code): the portal says \(row.status)")
            #expect(row.oci == (code.ociCode?.rawValue ?? ""), "\(code): the portal says \(row.oci)")
        }
    }
}
