/// A stable, machine-readable error code such as `store.unavailable`.
///
/// Codes are part of the public contract: clients, the CLI's exit codes and the portal's
/// troubleshooting pages key on them, so a code is never renamed or reused. Each code carries
/// its own HTTP status (``httpStatus``) and, where the registry's `/v2/` answers with it, its
/// OCI Distribution code (``ociCode``), both declared in this file in switches without a
/// `default`: a new case does not compile until it says how it answers. The list of every
/// code is ``allCases``, derived by the compiler, never kept by hand.
///
/// ```swift
/// throw PlatformError(.storeUnavailable, "database unreachable")
/// ```
public enum ErrorCode: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    // MARK: Store
    /// The database could not be reached or did not answer in time.
    case storeUnavailable = "store.unavailable"
    /// The database schema is newer than this build knows; the server refuses to start.
    case storeSchemaTooNew = "store.schema_too_new"
    /// A migration failed; the transaction was rolled back.
    case storeMigrationFailed = "store.migration_failed"
    /// A write collided with an existing row (unique key).
    case storeConflict = "store.conflict"
    /// A query failed for a reason other than the ones above.
    case storeQueryFailed = "store.query_failed"
    /// The database URL is malformed or names an unsupported backend.
    case storeInvalidURL = "store.invalid_url"

    // MARK: Blobs
    /// No blob with that digest is stored.
    case blobNotFound = "blob.not_found"
    /// The bytes written do not hash to the digest the writer claimed.
    case blobDigestMismatch = "blob.digest_mismatch"
    /// A digest string is not `sha256:` followed by 64 lowercase hex digits.
    case blobDigestInvalid = "blob.digest_invalid"
    /// A requested byte range lies outside the blob.
    case blobRangeInvalid = "blob.range_invalid"
    /// An upload was already committed or cancelled.
    case blobUploadClosed = "blob.upload_closed"
    /// The blob store's storage failed (disk full, permissions).
    case blobStorageFailed = "blob.storage_failed"

    // MARK: Configuration
    /// A configuration value (flag, environment variable, config file) is invalid.
    case configInvalid = "config.invalid"
    /// A webhook signing secret is not `whsec_` followed by the base64 of 24–64 bytes
    /// (Standard Webhooks); the endpoint cannot be signed for, so it is refused when configured.
    case notificationWebhookSecretInvalid = "notification.webhook_secret_invalid"
    /// An email header value (address, subject, message id) holds a CR or LF: refused so that
    /// no caller-supplied text can add headers or SMTP commands (header injection).
    case notificationEmailHeaderInvalid = "notification.email_header_invalid"
    /// A notification template was rendered without a variable it names: refused rather
    /// than sending a message with a silent blank where the value should be.
    case notificationTemplateVariableMissing = "notification.template_variable_missing"
    /// A notification preference tried to mute a security or billing notice, which cannot be muted.
    case notificationPreferenceLocked = "notification.preference_locked"
    /// No such webhook endpoint, feed entry or dead-lettered intent.
    case notificationNotFound = "notification.not_found"
    /// A webhook endpoint URL is not an absolute http(s) URL, or an email address is malformed.
    case notificationTargetInvalid = "notification.target_invalid"

    // MARK: Usage and billing
    /// A usage event id (per source) was stored with another payload; ids are never reused.
    case usageEventConflict = "usage.event_conflict"
    /// The unit is not in the usage-unit registry, is retired, or names another version.
    case usageUnitUnknown = "usage.unit_unknown"
    /// The source product does not own the unit (usage-units.yaml `owner`) or is not registered.
    case usageUnitNotOwned = "usage.unit_not_owned"
    /// The event happened before the late-usage window (`--usage-late-window`): too late to bill.
    case usageTooLate = "usage.too_late"
    /// A correction names an event id of its source that is not stored.
    case usageCorrectionUnknown = "usage.correction_unknown"
    /// A batch is empty, too large, or has a negative quantity, a duplicate id, or a time in the future.
    case usageBatchInvalid = "usage.batch_invalid"
    /// A period is not `YYYY-MM`, has not started, or cannot be closed yet.
    case billingPeriodInvalid = "billing.period_invalid"
    /// The project's or its tenant's budget for this month is spent: new launches are refused.
    case billingBudgetExhausted = "billing.budget_exhausted"
    /// No such budget.
    case billingBudgetNotFound = "billing.budget_not_found"
    /// An amount is not a positive integer at the price book's scale, or a threshold is outside 1–100.
    case billingAmountInvalid = "billing.amount_invalid"
    /// The price book has no price for a unit and plan at the event's time: the event stays
    /// unrated (and is counted) until a price exists; it is never skipped.
    case billingPriceMissing = "billing.price_missing"
    /// A journal entry's postings do not sum to zero per currency: refused, nothing written.
    case ledgerUnbalanced = "ledger.unbalanced"
    /// `appctl ledger verify` found an invariant that does not hold (the API answers the
    /// checks with 200; the CLI exits 65 with this code, naming the first failed check).
    case ledgerVerificationFailed = "ledger.verification_failed"

    // MARK: Evidence and releases
    /// Evidence content does not validate against its type's predicate JSON Schema (or a
    /// security scan is neither SARIF 2.1 nor CycloneDX VEX): refused at attach time.
    case evidenceInvalid = "evidence.invalid"
    /// The evidence type is not in the evidence-type registry (or may not be attached by hand:
    /// platform-made types are signed by the platform only).
    case evidenceTypeUnknown = "evidence.type_unknown"
    /// No such release in the project.
    case releaseNotFound = "release.not_found"
    /// A release request is malformed: unknown environment, no artifacts, a bad source SHA or branch.
    case releaseInvalid = "release.invalid"
    /// The release's state does not allow it (evidence or approval on a promoted release).
    case releaseStateInvalid = "release.state_invalid"
    /// Separation of duties: the approver signed or attached evidence of this release, or created it.
    case releaseSelfApproval = "release.self_approval"
    /// A release gate does not pass: promotion refused; `details.missing` lists what each gate lacks.
    case releaseGatesFailed = "release.gates_failed"
    /// Promotion to production needs a passing release decision that covers the artifact.
    case releaseDecisionRequired = "release.decision_required"

    // MARK: Status
    /// No such incident.
    case statusIncidentNotFound = "status.incident_not_found"
    /// No such maintenance window.
    case statusMaintenanceNotFound = "status.maintenance_not_found"
    /// An unknown component, or an incident or window request that is malformed (ends before
    /// it starts, no title, a resolved incident updated).
    case statusRequestInvalid = "status.request_invalid"
    /// A maintenance window covers the launch's components and policy refuses launches during it.
    case instanceMaintenanceWindow = "apps.maintenance_window"

    // MARK: Policy
    /// The replica's policy snapshot is older than the freshness budget: capacity, authority
    /// and financial writes fail closed until it refreshes (reads go on, stamped with its age).
    case policyStale = "policy.stale"
    /// No such policy key in the policy registry (or not a flag where a flag is needed).
    case policyKeyUnknown = "policy.key_unknown"
    /// A policy value of the wrong type, a retired policy, or a level its scope does not allow.
    case policyValueInvalid = "policy.value_invalid"
    /// No such plan in the policy registry.
    case policyPlanUnknown = "policy.plan_unknown"
    /// A feature flag or product-access policy is off for this project.
    case policyFeatureDisabled = "policy.feature_disabled"
    /// A push would take the project's registry storage past its `quota.registry_storage_bytes`.
    case artifactStorageQuotaExceeded = "artifact.storage_quota_exceeded"

    // MARK: HTTP edge
    /// No route matches the request path.
    case httpNotFound = "http.not_found"
    /// The route exists but not for this method.
    case httpMethodNotAllowed = "http.method_not_allowed"
    /// The request is malformed.
    case httpBadRequest = "http.bad_request"
    /// The request body is larger than the route accepts (413).
    case httpPayloadTooLarge = "http.payload_too_large"
    /// A query parameter or header number is malformed or outside its allowed range (400);
    /// `details.parameter` names it.
    case httpParameterInvalid = "http.parameter_invalid"
    /// An unexpected server error; details are in the server log under the request id.
    case internalError = "internal.error"
    /// An identifier or name holds a control, format, separator or private-use character, or
    /// free text holds NUL (``TextPolicy``); `details.field` names it (400).
    case validationInvalidText = "validation.invalid_text"

    // MARK: IAM
    /// No credentials were presented.
    case iamUnauthenticated = "iam.unauthenticated"
    /// The presented key is malformed or its checksum is wrong.
    case iamKeyMalformed = "iam.key_malformed"
    /// The key is unknown, expired or revoked.
    case iamKeyInvalid = "iam.key_invalid"
    /// The key lacks the scope the route requires.
    case iamForbidden = "iam.forbidden"
    /// A web console form without this session's synchronizer token, or from another origin (403).
    case consoleCSRFInvalid = "console.csrf_invalid"
    /// A scope that is not in the scope registry.
    case iamScopeUnknown = "iam.scope_unknown"
    /// A key asked for a scope its principal does not hold.
    case iamScopeNotHeld = "iam.scope_not_held"
    /// Key expiry missing, in the past or above the server's maximum.
    case iamExpiryInvalid = "iam.expiry_invalid"
    /// The resource does not exist (or belongs to another tenant or project).
    case iamNotFound = "iam.not_found"
    /// A name is already taken.
    case iamConflict = "iam.conflict"
    /// A request field is missing or invalid.
    case iamInvalidRequest = "iam.invalid_request"

    // MARK: Audit
    /// The audit record could not be written; the privileged mutation was rolled back.
    case auditUnavailable = "audit.unavailable"
    /// An audit export does not verify (chain, checkpoint or signature).
    case auditVerificationFailed = "audit.verification_failed"
    /// The log is not an extension of the checkpoint verified last time: it shrank, or its
    /// consistency proof from that checkpoint fails (truncated or rewritten).
    case auditLogInconsistent = "audit.log_inconsistent"
    /// The log's checkpoints are signed by another key than the one pinned for that server.
    case auditKeyMismatch = "audit.key_mismatch"

    // MARK: Manifests
    /// A manifest failed validation; the diagnostics say why.
    case manifestInvalid = "manifest.invalid"
    /// A YAML or JSON document (manifest, registry, portal data, policy, config, request body) would
    /// cost more to read than ``DocumentLimits`` allow: too large, too deep, or aliases expanding to
    /// too many nodes ("billion laughs"). Refused before it is expanded; the message gives `line:column`.
    case manifestsTooComplex = "manifests.too_complex"
    /// An app version is already registered with other content; versions are immutable.
    case appVersionExists = "apps.version_exists"
    /// No such app in the project's catalog.
    case appNotFound = "apps.not_found"
    /// A launch asked for a platform catalog version that platform control deprecated; the
    /// message is the deprecation's and names the replacement version when there is one.
    case catalogVersionDeprecated = "catalog.version_deprecated"

    // MARK: Artifacts (OCI registry and trust)
    /// A repository name is not `<project>/<name>` in OCI's lowercase grammar.
    case artifactNameInvalid = "artifacts.name_invalid"
    /// No such repository (or it belongs to a project the caller cannot reach).
    case artifactNameUnknown = "artifacts.name_unknown"
    /// The blob is not known in this repository.
    case artifactBlobUnknown = "artifacts.blob_unknown"
    /// No such upload session (finished, cancelled, expired or another repository's).
    case artifactUploadUnknown = "artifacts.upload_unknown"
    /// The upload is not in a state that accepts this request (a concurrent chunk, a bad length).
    case artifactUploadInvalid = "artifacts.upload_invalid"
    /// A chunk does not start where the upload ends (`Content-Range` out of order): 416.
    case artifactRangeInvalid = "artifacts.range_invalid"
    /// The uploaded content does not hash to the digest the client named.
    case artifactDigestInvalid = "artifacts.digest_invalid"
    /// A declared size does not match the content.
    case artifactSizeInvalid = "artifacts.size_invalid"
    /// The manifest is not valid JSON of a supported media type.
    case artifactManifestInvalid = "artifacts.manifest_invalid"
    /// The manifest is larger than the registry accepts.
    case artifactManifestTooLarge = "artifacts.manifest_too_large"
    /// The manifest references a blob or manifest the repository does not have.
    case artifactManifestBlobUnknown = "artifacts.manifest_blob_unknown"
    /// No such manifest (tag or digest) in the repository.
    case artifactManifestUnknown = "artifacts.manifest_unknown"
    /// The operation is valid OCI but not supported here (for example deleting by tag with a digest mismatch).
    case artifactUnsupported = "artifacts.unsupported"
    /// Pulls of this artifact are gated by its trust state (quarantined or revoked).
    case artifactPullGated = "artifacts.pull_gated"
    /// A signature does not verify over its payload (tampered payload or signature).
    case artifactSignatureInvalid = "artifacts.signature_invalid"
    /// A signature names or verifies against no key the project trusts.
    case artifactSignatureKeyUnknown = "artifacts.signature_key_unknown"
    /// A signature was made by a key the project revoked.
    case artifactSignatureKeyRevoked = "artifacts.signature_key_revoked"
    /// A signed statement is about a different digest than the artifact it is attached to.
    case artifactSignatureSubjectMismatch = "artifacts.signature_subject_mismatch"
    /// A signature envelope or payload is malformed (not DSSE/in-toto or cosign simple signing).
    case artifactSignatureMalformed = "artifacts.signature_malformed"
    /// A promotion gate is not met; `details.missing` lists what is missing.
    case artifactPromotionBlocked = "artifacts.promotion_blocked"
    /// The requested trust transition is not allowed from the current state.
    case artifactTransitionInvalid = "artifacts.transition_invalid"
    /// No such artifact (digest) in the project.
    case artifactNotFound = "artifacts.not_found"
    /// An evidence type that is not in the evidence-type registry.
    case artifactEvidenceTypeUnknown = "artifacts.evidence_type_unknown"
    /// A signing key is not a valid PEM public key of a supported algorithm (ECDSA P-256).
    case signingKeyInvalid = "artifacts.signing_key_invalid"
    /// No such signing key in the project.
    case signingKeyNotFound = "artifacts.signing_key_not_found"
    /// The same public key is already registered in the project.
    case signingKeyExists = "artifacts.signing_key_exists"
    /// An archive entry would escape the destination or is not a regular file, folder or safe link.
    case archiveUnsafe = "artifacts.archive_unsafe"
    /// An archive exceeds the entry, total-size or compression-ratio limits.
    case archiveTooLarge = "artifacts.archive_too_large"
    /// An archive or image layout is malformed.
    case archiveInvalid = "artifacts.archive_invalid"

    // MARK: Runtime
    /// GPU discovery failed for a reason other than "no driver" (which means no GPUs).
    case runtimeGPUDiscoveryFailed = "runtime.gpu_discovery_failed"
    /// No node can take the instance's GPU request (`details.reason`: capacity or busy).
    case runtimePlacementUnsatisfiable = "runtime.placement_unsatisfiable"
    /// The adapter refused the launch spec (an override it does not know, a mode it cannot run).
    case runtimeSpecInvalid = "runtime.spec_invalid"
    /// The named adapter is not configured on this server, or its tools are missing.
    case runtimeAdapterUnavailable = "runtime.adapter_unavailable"
    /// The adapter could not start the workload (image unpack, runtime binary, scheduler refusal).
    case runtimeStartFailed = "runtime.start_failed"
    /// A persisted handle is of another adapter or an unknown version.
    case runtimeHandleInvalid = "runtime.handle_invalid"
    /// The runtime tool answered with something the adapter cannot read.
    case runtimeCommandFailed = "runtime.command_failed"

    // MARK: Instances
    /// No such instance in the project.
    case instanceNotFound = "apps.instance_not_found"
    /// The launch request is invalid (unknown or mistyped parameter, bad GPU request, unknown environment).
    case instanceLaunchInvalid = "apps.launch_invalid"
    /// The app's artifact is below the trust state the target environment requires (or its state is unknown).
    case instanceArtifactUntrusted = "apps.artifact_untrusted"
    /// A project quota (concurrent instances, GPUs) refuses the launch; `details.quota` names it.
    case instanceQuotaExceeded = "apps.quota_exceeded"
    /// The request is not valid in the instance's current phase (deleting a running instance).
    case instancePhaseConflict = "apps.instance_phase_conflict"
    /// The instance's adapter cannot run a command inside it (`appctl instance exec`).
    case instanceExecUnsupported = "apps.exec_unsupported"

    // MARK: Volumes
    /// No such volume in the project.
    case volumeNotFound = "volume.not_found"
    /// A volume request is malformed (name, size) or the manifest's volume cannot be provided.
    case volumeInvalid = "volume.invalid"
    /// A volume of that name already exists in the project.
    case volumeExists = "volume.exists"
    /// The volume is mounted by a live instance and cannot be deleted.
    case volumeInUse = "volume.in_use"

    // MARK: Secrets
    /// No such secret in the project (also: a manifest's `secret://` reference to another project).
    case secretNotFound = "secret.not_found"
    /// A secret request is malformed: a bad name, an unregistered purpose, an empty or oversized value.
    case secretInvalid = "secret.invalid"
    /// Secret custody cannot decrypt or encrypt (master key missing or not the one that wrapped
    /// the data key): fails closed, nothing is delivered.
    case secretUnavailable = "secret.unavailable"

    // MARK: Connect
    /// The app has no connect action of that name (or none for that endpoint); `details.actions` lists them.
    case connectActionNotFound = "connect.action_not_found"
    /// The requested credential lifetime is above what the manifest and policy allow; `details.maximumSeconds`.
    case connectTTLExceedsPolicy = "connect.ttl_exceeds_policy"
    /// The instance is not running or ready, so nothing can connect to it.
    case connectInstanceNotReady = "connect.instance_not_ready"
    /// No live connect session: unknown, expired, revoked, ended with its instance, or another principal's.
    case connectSessionNotFound = "connect.session_not_found"
    /// The instance's endpoint did not answer the proxy.
    case connectUpstreamUnavailable = "connect.upstream_unavailable"
    /// An SSH public key that is not one `ssh-ed25519` line.
    case connectSSHKeyInvalid = "connect.ssh_key_invalid"
    /// A browser WebSocket upgrade came from a page of another origin than the platform's
    /// own (cross-site WebSocket hijacking): refused.
    case connectOriginNotAllowed = "connect.origin_not_allowed"

    // MARK: Client (appctl)
    /// The server could not be reached (connection refused, DNS, timeout).
    case clientServerUnreachable = "client.server_unreachable"
    /// The server answered but reports itself not ready.
    case clientServerNotReady = "client.server_not_ready"
    /// No server is configured: no --server, APPCTL_SERVER or current context.
    case clientNoServer = "client.no_server"
    /// The appctl config file is unreadable or invalid.
    case clientConfigInvalid = "client.config_invalid"
    /// The named context does not exist.
    case clientContextNotFound = "client.context_not_found"
    /// The server's answer could not be understood.
    case clientUnexpectedResponse = "client.unexpected_response"
    /// The server refused the credentials (401/403).
    case clientUnauthorized = "client.unauthorized"
    /// `appctl contract check`: a committed contract artifact (OpenAPI, AsyncAPI, an SDK)
    /// differs from what its sources generate. Raised by `appctl` only, like `client.*`.
    case contractDrift = "contract.drift"

    /// The dotted code.
    public var description: String { rawValue }
}

extension ErrorCode {
    /// The HTTP statuses platform errors answer with. A closed set, so that PlatformContracts
    /// needs no HTTP library and a status no error should answer with (2xx, 3xx) cannot be named.
    public enum HTTPStatus: Int, CaseIterable, Sendable {
        /// 400: the request is malformed or invalid.
        case badRequest = 400
        /// 401: no usable credentials.
        case unauthorized = 401
        /// 402: a spending budget refuses it.
        case paymentRequired = 402
        /// 403: the credentials do not allow it, or a trust gate refuses it.
        case forbidden = 403
        /// 404: no such resource (or one the caller cannot see).
        case notFound = 404
        /// 405: the method (or the operation) is not supported here.
        case methodNotAllowed = 405
        /// 409: the request conflicts with the resource's current state.
        case conflict = 409
        /// 413: the content is larger than the route accepts.
        case contentTooLarge = 413
        /// 416: a byte range lies outside the content.
        case rangeNotSatisfiable = 416
        /// 422: well-formed, but its content cannot be accepted (usage too late to bill).
        case unprocessableContent = 422
        /// 429: a quota refuses it.
        case tooManyRequests = 429
        /// 500: the server failed.
        case internalServerError = 500
        /// 502: an upstream the server proxies to did not answer.
        case badGateway = 502
        /// 503: a dependency is down; retrying later may work.
        case serviceUnavailable = 503
    }

    /// The HTTP status this code answers with, at the `/v1` edge and at the registry's `/v2/`.
    /// The `client.*` codes are raised by `appctl` itself and never sent by the server; they say
    /// 500 so that one thrown on the server by mistake reads as the server's fault.
    public var httpStatus: HTTPStatus {
        switch self {
        // Store
        case .storeUnavailable: .serviceUnavailable
        case .storeSchemaTooNew: .internalServerError
        case .storeMigrationFailed: .internalServerError
        case .storeConflict: .conflict
        case .storeQueryFailed: .internalServerError
        case .storeInvalidURL: .internalServerError
        // Blobs
        case .blobNotFound: .notFound
        case .blobDigestMismatch: .badRequest
        case .blobDigestInvalid: .badRequest
        case .blobRangeInvalid: .rangeNotSatisfiable
        case .blobUploadClosed: .conflict
        case .blobStorageFailed: .internalServerError
        // Configuration
        case .configInvalid: .badRequest
        case .notificationWebhookSecretInvalid: .badRequest
        case .notificationEmailHeaderInvalid: .badRequest
        case .notificationTemplateVariableMissing: .internalServerError
        case .notificationPreferenceLocked: .conflict
        case .notificationNotFound: .notFound
        case .notificationTargetInvalid: .badRequest
        case .usageEventConflict: .conflict
        case .usageUnitUnknown: .badRequest
        case .usageUnitNotOwned: .forbidden
        case .usageTooLate: .unprocessableContent
        case .usageCorrectionUnknown: .unprocessableContent
        case .usageBatchInvalid: .badRequest
        case .billingPeriodInvalid: .badRequest
        case .billingBudgetExhausted: .paymentRequired
        case .billingBudgetNotFound: .notFound
        case .billingAmountInvalid: .badRequest
        case .billingPriceMissing: .internalServerError
        case .ledgerUnbalanced: .internalServerError
        case .ledgerVerificationFailed: .internalServerError
        case .evidenceInvalid: .unprocessableContent
        case .evidenceTypeUnknown: .badRequest
        case .releaseNotFound: .notFound
        case .releaseInvalid: .badRequest
        case .releaseStateInvalid: .conflict
        case .releaseSelfApproval: .forbidden
        case .releaseGatesFailed: .conflict
        case .releaseDecisionRequired: .conflict
        case .statusIncidentNotFound: .notFound
        case .statusMaintenanceNotFound: .notFound
        case .statusRequestInvalid: .badRequest
        case .instanceMaintenanceWindow: .serviceUnavailable
        case .policyStale: .serviceUnavailable
        case .policyKeyUnknown: .notFound
        case .policyValueInvalid: .badRequest
        case .policyPlanUnknown: .notFound
        case .policyFeatureDisabled: .forbidden
        case .artifactStorageQuotaExceeded: .forbidden
        // HTTP edge
        case .httpNotFound: .notFound
        case .httpMethodNotAllowed: .methodNotAllowed
        case .httpBadRequest: .badRequest
        case .httpPayloadTooLarge: .contentTooLarge
        case .httpParameterInvalid: .badRequest
        case .internalError: .internalServerError
        case .validationInvalidText: .badRequest
        // IAM
        case .iamUnauthenticated: .unauthorized
        case .iamKeyMalformed: .unauthorized
        case .iamKeyInvalid: .unauthorized
        case .iamForbidden: .forbidden
        case .consoleCSRFInvalid: .forbidden
        case .iamScopeUnknown: .badRequest
        case .iamScopeNotHeld: .badRequest
        case .iamExpiryInvalid: .badRequest
        case .iamNotFound: .notFound
        case .iamConflict: .conflict
        case .iamInvalidRequest: .badRequest
        // Audit
        case .auditUnavailable: .serviceUnavailable
        case .auditVerificationFailed: .badRequest
        case .auditLogInconsistent: .badRequest
        case .auditKeyMismatch: .badRequest
        // Manifests
        case .manifestInvalid: .badRequest
        case .manifestsTooComplex: .badRequest
        case .appVersionExists: .conflict
        case .appNotFound: .notFound
        case .catalogVersionDeprecated: .conflict
        // Artifacts (OCI registry and trust)
        case .artifactNameInvalid: .badRequest
        case .artifactNameUnknown: .notFound
        case .artifactBlobUnknown: .notFound
        case .artifactUploadUnknown: .notFound
        case .artifactUploadInvalid: .badRequest
        case .artifactRangeInvalid: .rangeNotSatisfiable
        case .artifactDigestInvalid: .badRequest
        case .artifactSizeInvalid: .badRequest
        case .artifactManifestInvalid: .badRequest
        case .artifactManifestTooLarge: .contentTooLarge
        case .artifactManifestBlobUnknown: .badRequest
        case .artifactManifestUnknown: .notFound
        case .artifactUnsupported: .methodNotAllowed
        case .artifactPullGated: .forbidden
        case .artifactSignatureInvalid: .forbidden
        case .artifactSignatureKeyUnknown: .forbidden
        case .artifactSignatureKeyRevoked: .forbidden
        case .artifactSignatureSubjectMismatch: .forbidden
        case .artifactSignatureMalformed: .forbidden
        case .artifactPromotionBlocked: .conflict
        case .artifactTransitionInvalid: .conflict
        case .artifactNotFound: .notFound
        case .artifactEvidenceTypeUnknown: .forbidden
        case .signingKeyInvalid: .badRequest
        case .signingKeyNotFound: .notFound
        case .signingKeyExists: .conflict
        case .archiveUnsafe: .badRequest
        case .archiveTooLarge: .badRequest
        case .archiveInvalid: .badRequest
        // Runtime
        case .runtimeGPUDiscoveryFailed: .internalServerError
        case .runtimePlacementUnsatisfiable: .conflict
        case .runtimeSpecInvalid: .badRequest
        case .runtimeAdapterUnavailable: .serviceUnavailable
        case .runtimeStartFailed: .internalServerError
        case .runtimeHandleInvalid: .internalServerError
        case .runtimeCommandFailed: .internalServerError
        // Instances
        case .instanceNotFound: .notFound
        case .instanceLaunchInvalid: .badRequest
        case .instanceArtifactUntrusted: .forbidden
        case .instanceQuotaExceeded: .tooManyRequests
        case .instancePhaseConflict: .conflict
        case .instanceExecUnsupported: .conflict
        case .volumeNotFound: .notFound
        case .volumeInvalid: .badRequest
        case .volumeExists: .conflict
        case .volumeInUse: .conflict
        case .secretNotFound: .notFound
        case .secretInvalid: .badRequest
        case .secretUnavailable: .serviceUnavailable
        // Connect
        case .connectActionNotFound: .notFound
        case .connectTTLExceedsPolicy: .badRequest
        case .connectInstanceNotReady: .conflict
        case .connectSessionNotFound: .notFound
        case .connectUpstreamUnavailable: .badGateway
        case .connectSSHKeyInvalid: .badRequest
        case .connectOriginNotAllowed: .forbidden
        // Client (appctl)
        case .clientServerUnreachable: .internalServerError
        case .clientServerNotReady: .internalServerError
        case .clientNoServer: .internalServerError
        case .clientConfigInvalid: .internalServerError
        case .clientContextNotFound: .internalServerError
        case .clientUnexpectedResponse: .internalServerError
        case .clientUnauthorized: .internalServerError
        case .contractDrift: .internalServerError
        }
    }

    /// The OCI Distribution error code the registry's `/v2/` routes answer with, or `nil` where
    /// none fits (they then say ``OCIErrorCode/unknown``, with ``httpStatus``).
    public var ociCode: OCIErrorCode? {
        switch self {
        // Store
        case .storeUnavailable: .unavailable
        case .storeSchemaTooNew, .storeMigrationFailed, .storeConflict, .storeQueryFailed, .storeInvalidURL: nil
        // Blobs
        case .blobNotFound: .blobUnknown
        case .blobDigestMismatch: .digestInvalid
        case .blobDigestInvalid: .digestInvalid
        case .blobRangeInvalid: .blobUploadInvalid
        case .blobUploadClosed, .blobStorageFailed: nil
        // Configuration
        case .configInvalid: nil
        case .notificationWebhookSecretInvalid: nil
        case .notificationEmailHeaderInvalid: nil
        case .notificationTemplateVariableMissing: nil
        case .notificationPreferenceLocked, .notificationNotFound, .notificationTargetInvalid: nil
        case .policyStale, .policyKeyUnknown, .policyValueInvalid, .policyPlanUnknown: nil
        case .usageEventConflict, .usageUnitUnknown, .usageUnitNotOwned, .usageTooLate, .usageCorrectionUnknown, .usageBatchInvalid: nil
        case .billingPeriodInvalid, .billingBudgetExhausted, .billingBudgetNotFound, .billingAmountInvalid, .billingPriceMissing: nil
        case .ledgerUnbalanced, .ledgerVerificationFailed: nil
        // 422 at /v1; MANIFEST_INVALID would promise 400, so /v2 answers it as UNKNOWN with this code in its detail.
        case .evidenceInvalid, .evidenceTypeUnknown, .releaseNotFound, .releaseInvalid, .releaseStateInvalid, .releaseSelfApproval,
             .releaseGatesFailed, .releaseDecisionRequired: nil
        case .statusIncidentNotFound, .statusMaintenanceNotFound, .statusRequestInvalid, .instanceMaintenanceWindow: nil
        case .policyFeatureDisabled, .artifactStorageQuotaExceeded: .denied
        // HTTP edge
        case .httpMethodNotAllowed: .unsupported
        case .httpBadRequest: .manifestInvalid
        case .httpPayloadTooLarge: .sizeInvalid
        case .httpParameterInvalid: .paginationNumberInvalid
        case .httpNotFound, .internalError, .validationInvalidText: nil
        // IAM
        case .iamUnauthenticated: .unauthorized
        case .iamKeyMalformed: .unauthorized
        case .iamKeyInvalid: .unauthorized
        case .iamForbidden: .denied
        case .consoleCSRFInvalid: nil
        case .iamNotFound: .nameUnknown
        case .iamScopeUnknown, .iamScopeNotHeld, .iamExpiryInvalid, .iamConflict, .iamInvalidRequest: nil
        // Audit
        case .auditUnavailable: .unavailable
        case .auditVerificationFailed, .auditLogInconsistent, .auditKeyMismatch: nil
        // Manifests
        case .manifestInvalid, .manifestsTooComplex, .appVersionExists, .appNotFound, .catalogVersionDeprecated: nil
        // Artifacts (OCI registry and trust)
        case .artifactNameInvalid: .nameInvalid
        case .artifactNameUnknown: .nameUnknown
        case .artifactBlobUnknown: .blobUnknown
        case .artifactUploadUnknown: .blobUploadUnknown
        case .artifactUploadInvalid: .blobUploadInvalid
        case .artifactRangeInvalid: .blobUploadInvalid
        case .artifactDigestInvalid: .digestInvalid
        case .artifactSizeInvalid: .sizeInvalid
        case .artifactManifestInvalid: .manifestInvalid
        case .artifactManifestTooLarge: .sizeInvalid
        case .artifactManifestBlobUnknown: .manifestBlobUnknown
        case .artifactManifestUnknown: .manifestUnknown
        case .artifactUnsupported: .unsupported
        case .artifactPullGated: .denied
        case .artifactSignatureInvalid: .denied
        case .artifactSignatureKeyUnknown: .denied
        case .artifactSignatureKeyRevoked: .denied
        case .artifactSignatureSubjectMismatch: .denied
        case .artifactSignatureMalformed: .denied
        case .artifactEvidenceTypeUnknown: .denied
        case .artifactPromotionBlocked, .artifactTransitionInvalid, .artifactNotFound, .signingKeyInvalid,
             .signingKeyNotFound, .signingKeyExists, .archiveUnsafe, .archiveTooLarge, .archiveInvalid: nil
        // Runtime
        case .runtimeGPUDiscoveryFailed, .runtimePlacementUnsatisfiable, .runtimeSpecInvalid,
             .runtimeAdapterUnavailable, .runtimeStartFailed, .runtimeHandleInvalid, .runtimeCommandFailed: nil
        // Instances
        case .instanceNotFound, .instanceLaunchInvalid, .instanceArtifactUntrusted, .instanceQuotaExceeded,
             .instancePhaseConflict, .instanceExecUnsupported: nil
        // Volumes and secrets
        case .volumeNotFound, .volumeInvalid, .volumeExists, .volumeInUse, .secretNotFound, .secretInvalid, .secretUnavailable: nil
        // Connect
        case .connectActionNotFound, .connectTTLExceedsPolicy, .connectInstanceNotReady, .connectSessionNotFound,
             .connectUpstreamUnavailable, .connectSSHKeyInvalid, .connectOriginNotAllowed: nil
        // Client (appctl)
        case .clientServerUnreachable, .clientServerNotReady, .clientNoServer, .clientConfigInvalid,
             .clientContextNotFound, .clientUnexpectedResponse, .clientUnauthorized: nil
        case .contractDrift: nil
        }
    }
}
