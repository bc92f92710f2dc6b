import Hummingbird
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `/console/catalog` (every reachable project's apps and the platform catalog) and
/// `/console/projects/:project/catalog`: one row per app version, newest first per app; the
/// first row of each app carries `a#launch-NAME`. A project's own app of a name wins over the
/// platform catalog's, as at launch, so the catalog's rows of that name link nowhere.
enum ConsoleCatalogPage {
    static func render(_ page: ConsoleRequest, project: String?) async throws -> Response {
        let reachable = try await ConsoleProjects.reachable(page)
        var projects: [(id: String, name: String, apps: [AppVersion])] = []
        if let project {
            // The project's own listing decides access: another tenant's project is iam.not_found here.
            let apps = try await page.api.send(Endpoints.listApps, path: .init(project: project))
            projects.append((project, reachable.first { $0.id == project }?.path ?? project, apps))
        } else {
            for entry in reachable {
                guard let apps = try await ConsoleEndUser.optional({ try await page.api.send(Endpoints.listApps, path: .init(project: entry.id)) }).value
                else { continue }
                projects.append((entry.id, entry.path, apps))
            }
        }
        let (catalog, catalogProblem) = try await ConsoleEndUser.optional { try await page.api.send(Endpoints.listCatalogApps) }
        var launchIds: Set<String> = []
        var rows: [[String: Any]] = []
        func launchId(_ app: String) -> String? { launchIds.insert(app).inserted ? "launch-\(app)" : nil }
        for project in projects {
            let byName = Dictionary(grouping: project.apps, by: \.name)
            for name in byName.keys.sorted() {
                // Registered oldest first: the last is the newest, the one a launch without a version takes.
                for (index, version) in byName[name]!.reversed().enumerated() {
                    let manifest = try? ConsoleAppManifest.parse(version.manifest, file: "\(name)@\(version.version)")
                    var row: [String: Any] = [
                        "app": name, "version": version.version, "from": project.name, "state": index == 0 ? "newest" : "registered",
                        "description": manifest?.metadata.description ?? "", "launch": ConsoleEndUser.launchPath(project.id, name, version.version),
                    ]
                    if index == 0, let id = launchId(name) { row["launchId"] = id }
                    rows.append(row)
                }
            }
        }
        let ownNames = Set(projects.flatMap { $0.apps.map(\.name) })
        let entries = (catalog ?? []).sorted { ($0.app, $1.publishedAt) < ($1.app, $0.publishedAt) }
        var seenCurrent: Set<String> = []
        for entry in entries {
            var row: [String: Any] = [
                "app": entry.app, "version": entry.version, "from": "Platform catalog", "description": entry.description ?? "",
                "state": entry.deprecation.map { "deprecated: \($0.message)" + ($0.replacement.map { " (use \($0))" } ?? "") } ?? entry.state.rawValue,
            ]
            // A project of the page with its own app of this name launches that one instead.
            let shadowed = project != nil && ownNames.contains(entry.app)
            if entry.state == .current, !shadowed {
                row["launch"] = project.map { ConsoleEndUser.launchPath($0, entry.app, entry.version) }
                    ?? ConsoleEndUser.catalogLaunchPath(entry.app, entry.version)
                if seenCurrent.insert(entry.app).inserted, let id = launchId(entry.app) { row["launchId"] = id }
            }
            rows.append(row)
        }
        let title = project.map { id in "Catalog of \(reachable.first { $0.id == id }?.path ?? id)" } ?? "Catalog"
        var model: [String: Any] = ["rows": rows, "hasRows": !rows.isEmpty, "heading": title]
        if let catalogProblem { model["catalogProblem"] = catalogProblem }
        if let project { model["project"] = project }
        return try page.render(.userCatalog, title: title, model)
    }
}
