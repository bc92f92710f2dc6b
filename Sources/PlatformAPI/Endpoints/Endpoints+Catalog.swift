import HTTPTypes
import PlatformContracts

extension Endpoints {
    public static let registerApp = Endpoint<ProjectPath, NoQuery, AppRegistration, AppVersion>(
        .registerApp, in: .catalog, .post, "/v1/projects/\(.project)/apps", scope: "apps:catalog:register",
        summary: "Register an app version (the server re-validates the manifest).", status: .created)
    public static let listApps = Endpoint<ProjectPath, NoQuery, NoBody, [AppVersion]>(
        .listApps, in: .catalog, .get, "/v1/projects/\(.project)/apps", scope: "apps:catalog:read", summary: "List a project's registered app versions.")
    public static let listAppVersions = Endpoint<ProjectItemPath<ProjectItems.App>, NoQuery, NoBody, [AppVersion]>(
        .listAppVersions, in: .catalog, .get, "/v1/projects/\(.project)/apps/\(.app)", scope: "apps:catalog:read",
        summary: "The registered versions of one app.")
}
