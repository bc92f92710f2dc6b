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
    public static let listCatalogApps = Endpoint<NoPath, NoQuery, NoBody, [CatalogEntry]>(
        .listCatalogApps, in: .catalog, .get, "/v1/catalog/apps", scope: "apps:catalog:read",
        summary: "The platform-wide curated catalog every tenant launches from: each app version pinned by manifest and image digest, current or deprecated.")
    public static let publishCatalogApp = Endpoint<ProjectPath, NoQuery, CatalogPublishRequest, CatalogEntry>(
        .publishCatalogApp, in: .catalog, .post, "/v1/projects/\(.project)/catalog", scope: "apps:catalog:publish",
        summary: "Publish one of the project's registered app versions into the platform catalog, pinning its manifest and image digests (the image must already meet the manifest's requiredTrust).",
        status: .created)
    public static let deprecateCatalogApp = Endpoint<NoPath, NoQuery, CatalogDeprecationRequest, CatalogEntry>(
        .deprecateCatalogApp, in: .catalog, .post, "/v1/catalog/deprecations", scope: "apps:catalog:publish",
        summary: "Deprecate a platform catalog version: new launches of it are refused with the message (catalog.version_deprecated), naming the replacement.")
}
