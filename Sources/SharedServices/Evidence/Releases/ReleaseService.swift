import Foundation
import Logging
import OCIKit
import PlatformContracts
import PlatformStore
import SQLKit

/// Release candidates, their evidence bundles, approvals, the six gates and signed decisions.
/// SCAFFOLD: the releases owner replaces every body below.
public struct ReleaseService: ReleaseManagement, ReleaseDecisions {
    let store: SQLStore
    let blobs: any BlobStore
    let keys: any SigningKeyDirectory
    let identity: any Authorizer
    let audit: any TransactionalAuditing
    let validator: any EvidenceValidating
    let policy: any PolicyEvaluator
    /// The platform's evidence-signing key (platform-made statements and decisions).
    let platformSigner: SigningPrivateKey
    let logger: Logger
    /// Effective trust of the release's artifacts (the trust ledger, set by the composition
    /// after it is built; `nil` in tests that do not reach it: the environment profile fails).
    public var artifactTrust: (any ArtifactTrustLookup)?

    /// Creates the service.
    public init(store: SQLStore, blobs: any BlobStore, keys: any SigningKeyDirectory, identity: any Authorizer,
                audit: any TransactionalAuditing, validator: any EvidenceValidating, policy: any PolicyEvaluator,
                platformSigner: SigningPrivateKey, logger: Logger) {
        self.store = store
        self.blobs = blobs
        self.keys = keys
        self.identity = identity
        self.audit = audit
        self.validator = validator
        self.policy = policy
        self.platformSigner = platformSigner
        self.logger = logger
    }

    static func notBuilt() -> PlatformError { PlatformError(.internalError, "releases are not built yet") }

    public func create(_ request: ReleaseRequest, in project: Project, by caller: Caller, requestID: String?) async throws -> Release {
        throw Self.notBuilt()
    }
    public func releases(in project: Project) async throws -> [Release] { throw Self.notBuilt() }
    public func release(_ id: String, in project: Project) async throws -> Release { throw Self.notBuilt() }
    public func attach(_ request: ReleaseEvidenceRequest, to id: String, in project: Project, by caller: Caller,
                       requestID: String?) async throws -> ReleaseEvidence { throw Self.notBuilt() }
    public func attachPlatformEvidence(type: String, predicate: [UInt8], to id: String, in project: Project, by caller: Caller,
                                       correlationId: String?, requestID: String?) async throws -> ReleaseEvidence { throw Self.notBuilt() }
    public func approve(_ request: ReleaseApprovalRequest, release id: String, in project: Project, by caller: Caller,
                        requestID: String?) async throws -> Release { throw Self.notBuilt() }
    public func evaluate(release id: String, in project: Project, by caller: Caller, record: Bool, requestID: String?) async throws
        -> ReleaseDecision { throw Self.notBuilt() }
    public func markPromoted(release id: String, decision: String, in project: Project, by caller: Caller, correlationId: String?,
                             requestID: String?) async throws -> Release { throw Self.notBuilt() }
    public func platformKey() -> (keyId: String, publicKeyPEM: String) {
        (platformSigner.publicKey.keyID, platformSigner.publicKey.pem)
    }
    public func readiness() async throws -> [EnvironmentReadiness] { [] }
    public func passingDecision(project: String, digest: String, environment: String) async throws -> String? { nil }
}
