import HTTPTypes
import PlatformContracts

extension Endpoints {
    /// Counts need the read scope of each thing counted as well (the handler checks them on
    /// the request's grants), so the summary shows nothing its caller could not list.
    public static let getProjectSummary = Endpoint<ProjectPath, NoQuery, NoBody, ProjectSummary>(
        .getProjectSummary, in: .iam, .get, "/v1/projects/\(.project)/summary", scope: "iam:project:read",
        summary: "The project and how many instances (and how many of them live), apps, app versions and artifacts it has.")

    /// The scopes besides the endpoint's that the summary needs: one per thing it counts.
    public static let projectSummaryReadScopes = ["apps:instance:read", "apps:catalog:read", "artifacts:repository:pull"]
}

/// What a project holds, counted.
public struct ProjectSummary: Codable, Sendable, Equatable {
    /// The project.
    public var project: Project
    /// Every instance the project has (terminal ones until deleted).
    public var instances: Int
    /// Instances not in a terminal phase.
    public var liveInstances: Int
    /// Distinct app names registered.
    public var apps: Int
    /// Registered app versions.
    public var appVersions: Int
    /// Artifacts (manifest digests) in the project's repositories.
    public var artifacts: Int

    /// Creates a summary.
    public init(project: Project, instances: Int, liveInstances: Int, apps: Int, appVersions: Int, artifacts: Int) {
        self.project = project
        self.instances = instances
        self.liveInstances = liveInstances
        self.apps = apps
        self.appVersions = appVersions
        self.artifacts = artifacts
    }
}
