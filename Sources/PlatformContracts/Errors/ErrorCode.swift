/// A stable, machine-readable error code such as `store.unavailable`.
///
/// Codes are part of the public contract: clients, the CLI's exit codes and the portal's
/// troubleshooting pages key on them, so a code is never renamed or reused. The HTTP status
/// a code maps to is decided only at the HTTP edge (`PlatformHTTP`).
///
/// ```swift
/// throw PlatformError(.storeUnavailable, "database unreachable")
/// ```
public struct ErrorCode: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The dotted code, `domain.reason`.
    public let rawValue: String

    /// Creates a code from its dotted form.
    /// - Parameter rawValue: The code, for example `store.conflict`.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Creates a code from a string literal.
    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    /// The dotted code.
    public var description: String { rawValue }

    /// Decodes a code from a bare JSON string.
    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the code as a bare JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension ErrorCode {
    // MARK: Store
    /// The database could not be reached or did not answer in time.
    public static let storeUnavailable = ErrorCode("store.unavailable")
    /// The database schema is newer than this build knows; the server refuses to start.
    public static let storeSchemaTooNew = ErrorCode("store.schema_too_new")
    /// A migration failed; the transaction was rolled back.
    public static let storeMigrationFailed = ErrorCode("store.migration_failed")
    /// A write collided with an existing row (unique key).
    public static let storeConflict = ErrorCode("store.conflict")
    /// A query failed for a reason other than the ones above.
    public static let storeQueryFailed = ErrorCode("store.query_failed")
    /// The database URL is malformed or names an unsupported backend.
    public static let storeInvalidURL = ErrorCode("store.invalid_url")

    // MARK: Blobs
    /// No blob with that digest is stored.
    public static let blobNotFound = ErrorCode("blob.not_found")
    /// The bytes written do not hash to the digest the writer claimed.
    public static let blobDigestMismatch = ErrorCode("blob.digest_mismatch")
    /// A digest string is not `sha256:` followed by 64 lowercase hex digits.
    public static let blobDigestInvalid = ErrorCode("blob.digest_invalid")
    /// A requested byte range lies outside the blob.
    public static let blobRangeInvalid = ErrorCode("blob.range_invalid")
    /// An upload was already committed or cancelled.
    public static let blobUploadClosed = ErrorCode("blob.upload_closed")
    /// The blob store's storage failed (disk full, permissions).
    public static let blobStorageFailed = ErrorCode("blob.storage_failed")

    // MARK: Configuration
    /// A configuration value (flag, environment variable, config file) is invalid.
    public static let configInvalid = ErrorCode("config.invalid")

    // MARK: HTTP edge
    /// No route matches the request path.
    public static let httpNotFound = ErrorCode("http.not_found")
    /// The route exists but not for this method.
    public static let httpMethodNotAllowed = ErrorCode("http.method_not_allowed")
    /// The request is malformed.
    public static let httpBadRequest = ErrorCode("http.bad_request")
    /// The request body is larger than the route accepts (413).
    public static let httpPayloadTooLarge = ErrorCode("http.payload_too_large")
    /// A query parameter or header number is malformed or outside its allowed range (400);
    /// `details.parameter` names it.
    public static let httpParameterInvalid = ErrorCode("http.parameter_invalid")
    /// An unexpected server error; details are in the server log under the request id.
    public static let internalError = ErrorCode("internal.error")
    /// An identifier or name holds a control, format, separator or private-use character, or
    /// free text holds NUL (``TextPolicy``); `details.field` names it (400).
    public static let validationInvalidText = ErrorCode("validation.invalid_text")

    // MARK: IAM
    /// No credentials were presented.
    public static let iamUnauthenticated = ErrorCode("iam.unauthenticated")
    /// The presented key is malformed or its checksum is wrong.
    public static let iamKeyMalformed = ErrorCode("iam.key_malformed")
    /// The key is unknown, expired or revoked.
    public static let iamKeyInvalid = ErrorCode("iam.key_invalid")
    /// The key lacks the scope the route requires.
    public static let iamForbidden = ErrorCode("iam.forbidden")
    /// A scope that is not in the scope registry.
    public static let iamScopeUnknown = ErrorCode("iam.scope_unknown")
    /// A key asked for a scope its principal does not hold.
    public static let iamScopeNotHeld = ErrorCode("iam.scope_not_held")
    /// Key expiry missing, in the past or above the server's maximum.
    public static let iamExpiryInvalid = ErrorCode("iam.expiry_invalid")
    /// The resource does not exist (or belongs to another tenant or project).
    public static let iamNotFound = ErrorCode("iam.not_found")
    /// A name is already taken.
    public static let iamConflict = ErrorCode("iam.conflict")
    /// A request field is missing or invalid.
    public static let iamInvalidRequest = ErrorCode("iam.invalid_request")

    // MARK: Audit
    /// The audit record could not be written; the privileged mutation was rolled back.
    public static let auditUnavailable = ErrorCode("audit.unavailable")
    /// An audit export does not verify (chain, checkpoint or signature).
    public static let auditVerificationFailed = ErrorCode("audit.verification_failed")
    /// The log is not an extension of the checkpoint verified last time: it shrank, or its
    /// consistency proof from that checkpoint fails (truncated or rewritten).
    public static let auditLogInconsistent = ErrorCode("audit.log_inconsistent")
    /// The log's checkpoints are signed by another key than the one pinned for that server.
    public static let auditKeyMismatch = ErrorCode("audit.key_mismatch")

    // MARK: Manifests
    /// A manifest failed validation; the diagnostics say why.
    public static let manifestInvalid = ErrorCode("manifest.invalid")
    /// A YAML or JSON document (manifest, registry, portal data, policy, config, request body) would
    /// cost more to read than ``DocumentLimits`` allow: too large, too deep, or aliases expanding to
    /// too many nodes ("billion laughs"). Refused before it is expanded; the message gives `line:column`.
    public static let manifestsTooComplex = ErrorCode("manifests.too_complex")
    /// An app version is already registered with other content; versions are immutable.
    public static let appVersionExists = ErrorCode("apps.version_exists")
    /// No such app in the project's catalog.
    public static let appNotFound = ErrorCode("apps.not_found")

    // MARK: Artifacts (OCI registry and trust)
    /// A repository name is not `<project>/<name>` in OCI's lowercase grammar.
    public static let artifactNameInvalid = ErrorCode("artifacts.name_invalid")
    /// No such repository (or it belongs to a project the caller cannot reach).
    public static let artifactNameUnknown = ErrorCode("artifacts.name_unknown")
    /// The blob is not known in this repository.
    public static let artifactBlobUnknown = ErrorCode("artifacts.blob_unknown")
    /// No such upload session (finished, cancelled, expired or another repository's).
    public static let artifactUploadUnknown = ErrorCode("artifacts.upload_unknown")
    /// The upload is not in a state that accepts this request (a concurrent chunk, a bad length).
    public static let artifactUploadInvalid = ErrorCode("artifacts.upload_invalid")
    /// A chunk does not start where the upload ends (`Content-Range` out of order): 416.
    public static let artifactRangeInvalid = ErrorCode("artifacts.range_invalid")
    /// The uploaded content does not hash to the digest the client named.
    public static let artifactDigestInvalid = ErrorCode("artifacts.digest_invalid")
    /// A declared size does not match the content.
    public static let artifactSizeInvalid = ErrorCode("artifacts.size_invalid")
    /// The manifest is not valid JSON of a supported media type.
    public static let artifactManifestInvalid = ErrorCode("artifacts.manifest_invalid")
    /// The manifest is larger than the registry accepts.
    public static let artifactManifestTooLarge = ErrorCode("artifacts.manifest_too_large")
    /// The manifest references a blob or manifest the repository does not have.
    public static let artifactManifestBlobUnknown = ErrorCode("artifacts.manifest_blob_unknown")
    /// No such manifest (tag or digest) in the repository.
    public static let artifactManifestUnknown = ErrorCode("artifacts.manifest_unknown")
    /// The operation is valid OCI but not supported here (for example deleting by tag with a digest mismatch).
    public static let artifactUnsupported = ErrorCode("artifacts.unsupported")
    /// Pulls of this artifact are gated by its trust state (quarantined or revoked).
    public static let artifactPullGated = ErrorCode("artifacts.pull_gated")
    /// A signature does not verify over its payload (tampered payload or signature).
    public static let artifactSignatureInvalid = ErrorCode("artifacts.signature_invalid")
    /// A signature names or verifies against no key the project trusts.
    public static let artifactSignatureKeyUnknown = ErrorCode("artifacts.signature_key_unknown")
    /// A signature was made by a key the project revoked.
    public static let artifactSignatureKeyRevoked = ErrorCode("artifacts.signature_key_revoked")
    /// A signed statement is about a different digest than the artifact it is attached to.
    public static let artifactSignatureSubjectMismatch = ErrorCode("artifacts.signature_subject_mismatch")
    /// A signature envelope or payload is malformed (not DSSE/in-toto or cosign simple signing).
    public static let artifactSignatureMalformed = ErrorCode("artifacts.signature_malformed")
    /// A promotion gate is not met; `details.missing` lists what is missing.
    public static let artifactPromotionBlocked = ErrorCode("artifacts.promotion_blocked")
    /// The requested trust transition is not allowed from the current state.
    public static let artifactTransitionInvalid = ErrorCode("artifacts.transition_invalid")
    /// No such artifact (digest) in the project.
    public static let artifactNotFound = ErrorCode("artifacts.not_found")
    /// An evidence type that is not in the evidence-type registry.
    public static let artifactEvidenceTypeUnknown = ErrorCode("artifacts.evidence_type_unknown")
    /// A signing key is not a valid PEM public key of a supported algorithm (ECDSA P-256).
    public static let signingKeyInvalid = ErrorCode("artifacts.signing_key_invalid")
    /// No such signing key in the project.
    public static let signingKeyNotFound = ErrorCode("artifacts.signing_key_not_found")
    /// The same public key is already registered in the project.
    public static let signingKeyExists = ErrorCode("artifacts.signing_key_exists")
    /// An archive entry would escape the destination or is not a regular file, folder or safe link.
    public static let archiveUnsafe = ErrorCode("artifacts.archive_unsafe")
    /// An archive exceeds the entry, total-size or compression-ratio limits.
    public static let archiveTooLarge = ErrorCode("artifacts.archive_too_large")
    /// An archive or image layout is malformed.
    public static let archiveInvalid = ErrorCode("artifacts.archive_invalid")

    // MARK: Runtime
    /// GPU discovery failed for a reason other than "no driver" (which means no GPUs).
    public static let runtimeGPUDiscoveryFailed = ErrorCode("runtime.gpu_discovery_failed")
    /// No node can take the instance's GPU request (`details.reason`: capacity or busy).
    public static let runtimePlacementUnsatisfiable = ErrorCode("runtime.placement_unsatisfiable")
    /// The adapter refused the launch spec (an override it does not know, a mode it cannot run).
    public static let runtimeSpecInvalid = ErrorCode("runtime.spec_invalid")
    /// The named adapter is not configured on this server, or its tools are missing.
    public static let runtimeAdapterUnavailable = ErrorCode("runtime.adapter_unavailable")
    /// The adapter could not start the workload (image unpack, runtime binary, scheduler refusal).
    public static let runtimeStartFailed = ErrorCode("runtime.start_failed")
    /// A persisted handle is of another adapter or an unknown version.
    public static let runtimeHandleInvalid = ErrorCode("runtime.handle_invalid")
    /// The runtime tool answered with something the adapter cannot read.
    public static let runtimeCommandFailed = ErrorCode("runtime.command_failed")

    // MARK: Instances
    /// No such instance in the project.
    public static let instanceNotFound = ErrorCode("apps.instance_not_found")
    /// The launch request is invalid (unknown or mistyped parameter, bad GPU request, unknown environment).
    public static let instanceLaunchInvalid = ErrorCode("apps.launch_invalid")
    /// The app's artifact is below the trust state the target environment requires (or its state is unknown).
    public static let instanceArtifactUntrusted = ErrorCode("apps.artifact_untrusted")
    /// A project quota (concurrent instances, GPUs) refuses the launch; `details.quota` names it.
    public static let instanceQuotaExceeded = ErrorCode("apps.quota_exceeded")
    /// The request is not valid in the instance's current phase (deleting a running instance).
    public static let instancePhaseConflict = ErrorCode("apps.instance_phase_conflict")

    // MARK: Connect
    /// The app has no connect action of that name (or none for that endpoint); `details.actions` lists them.
    public static let connectActionNotFound = ErrorCode("connect.action_not_found")
    /// The requested credential lifetime is above what the manifest and policy allow; `details.maximumSeconds`.
    public static let connectTTLExceedsPolicy = ErrorCode("connect.ttl_exceeds_policy")
    /// The instance is not running or ready, so nothing can connect to it.
    public static let connectInstanceNotReady = ErrorCode("connect.instance_not_ready")
    /// No live connect session: unknown, expired, revoked, ended with its instance, or another principal's.
    public static let connectSessionNotFound = ErrorCode("connect.session_not_found")
    /// The instance's endpoint did not answer the proxy.
    public static let connectUpstreamUnavailable = ErrorCode("connect.upstream_unavailable")
    /// An SSH public key that is not one `ssh-ed25519` line.
    public static let connectSSHKeyInvalid = ErrorCode("connect.ssh_key_invalid")
    /// A browser WebSocket upgrade came from a page of another origin than the platform's
    /// own (cross-site WebSocket hijacking): refused.
    public static let connectOriginNotAllowed = ErrorCode("connect.origin_not_allowed")

    // MARK: Client (appctl)
    /// The server could not be reached (connection refused, DNS, timeout).
    public static let clientServerUnreachable = ErrorCode("client.server_unreachable")
    /// The server answered but reports itself not ready.
    public static let clientServerNotReady = ErrorCode("client.server_not_ready")
    /// No server is configured: no --server, APPCTL_SERVER or current context.
    public static let clientNoServer = ErrorCode("client.no_server")
    /// The appctl config file is unreadable or invalid.
    public static let clientConfigInvalid = ErrorCode("client.config_invalid")
    /// The named context does not exist.
    public static let clientContextNotFound = ErrorCode("client.context_not_found")
    /// The server's answer could not be understood.
    public static let clientUnexpectedResponse = ErrorCode("client.unexpected_response")
    /// The server refused the credentials (401/403).
    public static let clientUnauthorized = ErrorCode("client.unauthorized")

    /// Every code defined by the platform, for documentation and exhaustive mapping tests.
    public static let all: [ErrorCode] = [
        .storeUnavailable, .storeSchemaTooNew, .storeMigrationFailed, .storeConflict,
        .storeQueryFailed, .storeInvalidURL,
        .blobNotFound, .blobDigestMismatch, .blobDigestInvalid, .blobRangeInvalid,
        .blobUploadClosed, .blobStorageFailed,
        .configInvalid,
        .httpNotFound, .httpMethodNotAllowed, .httpBadRequest, .httpPayloadTooLarge, .httpParameterInvalid, .internalError,
        .iamUnauthenticated, .iamKeyMalformed, .iamKeyInvalid, .iamForbidden, .iamScopeUnknown,
        .iamScopeNotHeld, .iamExpiryInvalid, .iamNotFound, .iamConflict, .iamInvalidRequest,
        .auditUnavailable, .auditVerificationFailed, .auditLogInconsistent, .auditKeyMismatch, .validationInvalidText, .manifestInvalid, .manifestsTooComplex, .appVersionExists, .appNotFound,
        .artifactNameInvalid, .artifactNameUnknown, .artifactBlobUnknown, .artifactUploadUnknown, .artifactUploadInvalid,
        .artifactRangeInvalid, .artifactDigestInvalid, .artifactSizeInvalid, .artifactManifestInvalid,
        .artifactManifestTooLarge, .artifactManifestBlobUnknown, .artifactManifestUnknown, .artifactUnsupported,
        .artifactPullGated, .artifactSignatureInvalid, .artifactSignatureKeyUnknown, .artifactSignatureKeyRevoked,
        .artifactSignatureSubjectMismatch, .artifactSignatureMalformed, .artifactPromotionBlocked,
        .artifactTransitionInvalid, .artifactNotFound, .artifactEvidenceTypeUnknown, .signingKeyInvalid,
        .signingKeyNotFound, .signingKeyExists, .archiveUnsafe, .archiveTooLarge, .archiveInvalid,
        .runtimeGPUDiscoveryFailed, .runtimePlacementUnsatisfiable, .runtimeSpecInvalid, .runtimeAdapterUnavailable,
        .runtimeStartFailed, .runtimeHandleInvalid, .runtimeCommandFailed,
        .instanceNotFound, .instanceLaunchInvalid, .instanceArtifactUntrusted, .instanceQuotaExceeded, .instancePhaseConflict,
        .connectActionNotFound, .connectTTLExceedsPolicy, .connectInstanceNotReady, .connectSessionNotFound,
        .connectUpstreamUnavailable, .connectSSHKeyInvalid, .connectOriginNotAllowed,
        .clientServerUnreachable, .clientServerNotReady, .clientNoServer, .clientConfigInvalid,
        .clientContextNotFound, .clientUnexpectedResponse, .clientUnauthorized,
    ]
}
