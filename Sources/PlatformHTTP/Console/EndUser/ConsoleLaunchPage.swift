import HTTPTypes
import Hummingbird
import PlatformAPI
import PlatformClient
import PlatformContracts

/// The launch form (GET) and the launch (POST) of one app version. The version is the
/// project's own registration when it has the app (as the launch decides), else the platform
/// catalog's; a catalog version launched from `/console/catalog` has no project in its URL,
/// so the form asks for one of the caller's projects.
enum ConsoleLaunchPage {
    /// Where the version comes from and its manifest.
    struct Source {
        let app: String
        let version: String
        /// `the project's catalog` or `the platform catalog`.
        let origin: String
        let manifest: ConsoleAppManifest?
    }

    /// The version `app`/`version` a launch into `project` takes.
    /// - Throws: `apps.not_found` when neither the project nor the platform catalog has it;
    ///   `iam.not_found` for a project out of the caller's reach.
    static func source(_ page: ConsoleRequest, project: String, app: String, version: String) async throws -> Source {
        var own: [AppVersion] = []
        do {
            own = try await page.api.send(Endpoints.listAppVersions, path: .init(project: project, app))
        } catch let error as PlatformClientError where error.code == .appNotFound {}
        if !own.isEmpty {
            guard let registered = own.first(where: { $0.version == version }) else {
                throw PlatformError(.appNotFound, "\(app) has no version \(version) in this project (it has \(own.map(\.version).joined(separator: ", ")))")
            }
            return Source(app: app, version: version, origin: "the project's catalog",
                          manifest: try ConsoleAppManifest.parse(registered.manifest, file: "\(app)@\(version)"))
        }
        return try await catalogSource(page, app: app, version: version)
    }

    /// A platform catalog version. Its manifest is read from the source project when the
    /// caller reaches it; the catalog listing itself does not carry it (the form then shows
    /// no parameters and the manifest's defaults apply).
    static func catalogSource(_ page: ConsoleRequest, app: String, version: String) async throws -> Source {
        let entries = try await page.api.send(Endpoints.listCatalogApps)
        guard let entry = entries.first(where: { $0.app == app && $0.version == version }) else {
            throw PlatformError(.appNotFound, "neither this project nor the platform catalog has \(app) \(version)")
        }
        let registered = try? await page.api.send(Endpoints.listAppVersions, path: .init(project: entry.sourceProjectId, app))
        let manifest = registered?.first { $0.version == version }.flatMap { try? ConsoleAppManifest.parse($0.manifest, file: "\(app)@\(version)") }
        return Source(app: app, version: version, origin: "the platform catalog", manifest: manifest)
    }

    /// The form, with what was posted and the API's refusal when shown again.
    static func form(_ page: ConsoleRequest, source: Source, action: String, project: String?, chooseProject: [ConsoleProjects.Entry]?,
                     submitted: ConsoleForm?, refusal: ConsoleEndUser.Refusal?) throws -> Response {
        let form = ConsoleLaunchForm(manifest: source.manifest, submitted: submitted)
        var errors: [String: String] = [:]
        if let refusal, let name = refusal.details["param"] { errors[name] = refusal.message }
        var model = form.model(errors: errors)
        model["app"] = source.app
        model["version"] = source.version
        model["origin"] = source.origin
        model["action"] = action
        if let description = source.manifest?.metadata.description { model["description"] = description }
        if let project { model["project"] = project }
        if let chooseProject {
            let chosen = submitted?.text("project")
            model["hasChooseProject"] = true
            model["chooseProject"] = chooseProject.map { ["id": $0.id, "label": $0.path, "selected": $0.id == chosen] as [String: Any] }
        }
        if let refusal {
            model["problem"] = refusal.message
            model["problemCode"] = refusal.code
        }
        let status = refusal.map { HTTPResponse.Status(code: $0.status) } ?? .ok
        return try page.render(.userLaunch, title: "Launch \(source.app) \(source.version)", model, status: status)
    }

    /// Launches what the posted form asks for; a 4xx refusal shows the form again with the
    /// API's message at the top and, when its `details.param` names one, at that control.
    static func launch(_ page: ConsoleRequest, source: Source, project: String, action: String,
                       chooseProject: [ConsoleProjects.Entry]?) async throws -> Response {
        let request = ConsoleLaunchForm(manifest: source.manifest, submitted: page.form).request(app: source.app, version: source.version)
        do {
            let record = try await page.api.send(Endpoints.launchInstance, path: .init(project: project), body: request)
            return page.redirect(to: ConsoleEndUser.instancePath(project, record.id),
                                 notice: "Launched \(record.app) \(record.version) as \(record.id): \(record.phase.name).")
        } catch {
            guard let refusal = ConsoleEndUser.Refusal(error), (400..<500).contains(refusal.status), !refusal.hidesTheProject else { throw error }
            return try form(page, source: source, action: action, project: chooseProject == nil ? project : nil,
                            chooseProject: chooseProject, submitted: page.form, refusal: refusal)
        }
    }
}
