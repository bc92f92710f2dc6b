import Hummingbird
import PlatformAPI
import PlatformClient
import PlatformContracts

extension ConsoleTemplate {
    /// Components, incidents and the open/update/resolve forms.
    static let platformStatus = ConsoleTemplate("platform-status")
    /// Maintenance windows with schedule and cancel forms.
    static let platformMaintenance = ConsoleTemplate("platform-maintenance")
    /// Release readiness per environment and every project's releases.
    static let platformReleases = ConsoleTemplate("platform-releases")
    /// One release: its gates now, with each gate's decision and missing evidence.
    static let platformRelease = ConsoleTemplate("platform-release")
    /// Every project's artifacts with trust state, signatures, evidence and provenance.
    static let platformArtifacts = ConsoleTemplate("platform-artifacts")
    /// One artifact with promote and quarantine forms.
    static let platformArtifact = ConsoleTemplate("platform-artifact")
    /// Every instance across tenants.
    static let platformInstances = ConsoleTemplate("platform-instances")
    /// The notification dead letter with retry forms.
    static let platformDeadLetters = ConsoleTemplate("platform-dead-letters")
    /// The ledger's verification status.
    static let platformLedger = ConsoleTemplate("platform-ledger")
}

extension ConsoleRoutes {
    /// The operator pages under `/console/platform/`. Each page reads and acts only through the
    /// `/v1` API as the session's caller, so a caller without the operator scopes gets the API's
    /// own refusal (403 `iam.forbidden`) as the error page; the pages that walk every tenant
    /// also refuse tenant-bound keys, which would otherwise see a partial "platform".
    func registerOperatorPages(on pages: ConsolePages) {
        OperatorStatusPages.register(on: pages)
        OperatorReleasePages.register(on: pages)
        OperatorArtifactPages.register(on: pages)
        OperatorFleetPages.register(on: pages)
    }
}
