import PlatformContracts

/// `appctl`'s exit codes. They are a contract: scripts branch on them.
///
/// | code | meaning |
/// |---|---|
/// | 0 | success |
/// | 1 | unexpected failure |
/// | 64 | usage error (unknown flag, bad value) |
/// | 65 | invalid input data |
/// | 66 | not found |
/// | 69 | server unreachable or not ready |
/// | 76 | the server answered something appctl does not understand |
/// | 77 | credentials refused |
/// | 78 | configuration problem (no server, bad config file, unknown context) |
public enum ExitStatus: Int32, CaseIterable, Sendable {
    /// Success.
    case success = 0
    /// Unexpected failure.
    case failure = 1
    /// Usage error (ArgumentParser's validation failure).
    case usage = 64
    /// Invalid input data.
    case dataInvalid = 65
    /// Not found.
    case notFound = 66
    /// Server unreachable or not ready.
    case unavailable = 69
    /// Protocol error: an answer appctl cannot understand.
    case protocolError = 76
    /// Credentials refused.
    case noPermission = 77
    /// Configuration problem.
    case configuration = 78

    /// The exit status for an error code.
    public static func forCode(_ code: ErrorCode) -> ExitStatus {
        switch code {
        case .clientServerUnreachable, .clientServerNotReady, .storeUnavailable: .unavailable
        case .clientNoServer, .clientConfigInvalid, .clientContextNotFound, .configInvalid: .configuration
        case .clientUnexpectedResponse: .protocolError
        case .clientUnauthorized, .iamUnauthenticated, .iamKeyInvalid, .iamKeyMalformed, .iamForbidden, .consoleCSRFInvalid: .noPermission
        case .iamNotFound, .appNotFound: .notFound
        case .iamScopeUnknown, .iamScopeNotHeld, .iamExpiryInvalid, .iamInvalidRequest, .iamConflict, .auditVerificationFailed, .manifestInvalid, .appVersionExists,
             .manifestsTooComplex: .dataInvalid
        // A deprecated catalog version: launch its replacement instead.
        case .catalogVersionDeprecated: .dataInvalid
        case .validationInvalidText, .auditLogInconsistent, .auditKeyMismatch: .dataInvalid
        // A committed contract artifact differs from its sources: the data on disk is stale.
        case .contractDrift: .dataInvalid
        case .httpNotFound, .blobNotFound: .notFound
        case .httpBadRequest, .blobDigestInvalid, .blobDigestMismatch: .dataInvalid
        case .artifactNameUnknown, .artifactBlobUnknown, .artifactManifestUnknown, .artifactNotFound, .signingKeyNotFound,
             .artifactUploadUnknown:
            .notFound
        case .artifactPullGated, .artifactPromotionBlocked, .artifactTransitionInvalid: .noPermission
        case .instanceNotFound, .connectActionNotFound, .connectSessionNotFound, .volumeNotFound, .secretNotFound: .notFound
        case .volumeInvalid, .volumeExists, .volumeInUse, .secretInvalid, .instanceExecUnsupported: .dataInvalid
        case .secretUnavailable: .unavailable
        case .instanceLaunchInvalid, .runtimeSpecInvalid, .connectTTLExceedsPolicy, .connectSSHKeyInvalid: .dataInvalid
        case .connectInstanceNotReady, .connectUpstreamUnavailable: .unavailable
        case .instanceArtifactUntrusted, .connectOriginNotAllowed: .noPermission
        case .runtimeAdapterUnavailable, .policyStale: .unavailable
        case .policyKeyUnknown, .policyPlanUnknown, .notificationNotFound: .notFound
        case .policyValueInvalid, .notificationTargetInvalid, .notificationPreferenceLocked: .dataInvalid
        case .policyFeatureDisabled, .artifactStorageQuotaExceeded: .noPermission
        case .billingBudgetNotFound, .releaseNotFound, .statusIncidentNotFound, .statusMaintenanceNotFound: .notFound
        case .releaseSelfApproval: .noPermission
        case .instanceMaintenanceWindow: .unavailable
        case .evidenceInvalid, .evidenceTypeUnknown, .releaseInvalid, .releaseStateInvalid, .releaseGatesFailed, .releaseDecisionRequired,
             .statusRequestInvalid: .dataInvalid
        case .billingBudgetExhausted, .usageUnitNotOwned: .noPermission
        case .usageEventConflict, .usageUnitUnknown, .usageTooLate, .usageCorrectionUnknown, .usageBatchInvalid, .billingPeriodInvalid,
             .billingAmountInvalid, .ledgerVerificationFailed: .dataInvalid
        case .artifactNameInvalid, .artifactDigestInvalid, .artifactSizeInvalid, .artifactManifestInvalid, .artifactManifestTooLarge,
             .artifactManifestBlobUnknown, .artifactSignatureInvalid, .artifactSignatureKeyUnknown, .artifactSignatureKeyRevoked,
             .artifactSignatureSubjectMismatch, .artifactSignatureMalformed, .artifactEvidenceTypeUnknown, .signingKeyInvalid,
             .signingKeyExists, .archiveUnsafe, .archiveTooLarge, .archiveInvalid:
            .dataInvalid
        default: .failure
        }
    }
}
