import AppPlatform
import ArtifactRegistry
import PlatformAPI
import PlatformContracts

/// Handler of the project summary.
extension V1Routes {
    /// Counts the project's instances, apps and artifacts through the same services their list
    /// endpoints use, after checking the caller may read each of them.
    func getProjectSummary(_ input: OfProject<NoBody>, _ context: PlatformRequestContext,
                           _ caller: Caller) async throws -> Reply<ProjectSummary> {
        if let denied = try context.requireGrants().firstDenied(Endpoints.projectSummaryReadScopes) {
            throw PlatformError(.iamForbidden, "\(denied.reason); the summary counts what \(denied.scope) reads",
                                details: ["scope": denied.scope])
        }
        let project = try context.requireProject()
        let instances = try await instances.list(in: project)
        let versions = try await catalog.versions(in: project)
        let artifacts = try await ledger.artifacts(in: project)
        return .value(ProjectSummary(
            project: project, instances: instances.count, liveInstances: instances.filter { !$0.isTerminal }.count,
            apps: Set(versions.map(\.name)).count, appVersions: versions.count, artifacts: artifacts.count))
    }
}
