import HTTPTypes
import Hummingbird
import PlatformAPI
import PlatformClient
import PlatformContracts

extension ConsoleRoutes {
    /// The end user's pages: the catalog (project apps and the platform catalog), the launch
    /// form generated from a manifest's `params`, instances with their live phase, logs,
    /// Connect and stop, and usage and cost. Every call goes through the API as the session's
    /// caller, so a page shows and does exactly what the caller's key may.
    func registerEndUserPages(on pages: ConsolePages) {
        pages.get("catalog") { page in try await ConsoleCatalogPage.render(page, project: nil) }
        pages.get("projects/:project/catalog") { page in try await ConsoleCatalogPage.render(page, project: try page.parameter("project")) }

        pages.get("projects/:project/apps/:app/:version/launch") { page in
            let (project, app, version) = (try page.parameter("project"), try page.parameter("app"), try page.parameter("version"))
            let source = try await ConsoleLaunchPage.source(page, project: project, app: app, version: version)
            return try ConsoleLaunchPage.form(page, source: source, action: ConsoleEndUser.launchPath(project, app, version), project: project,
                                              chooseProject: nil, submitted: nil, refusal: nil)
        }
        pages.post("projects/:project/apps/:app/:version/launch") { page in
            let (project, app, version) = (try page.parameter("project"), try page.parameter("app"), try page.parameter("version"))
            let source = try await ConsoleLaunchPage.source(page, project: project, app: app, version: version)
            return try await ConsoleLaunchPage.launch(page, source: source, project: project,
                                                      action: ConsoleEndUser.launchPath(project, app, version), chooseProject: nil)
        }
        // A platform catalog version from /console/catalog: the form picks one of the caller's projects.
        pages.get("catalog/apps/:app/:version/launch") { page in
            let (app, version) = (try page.parameter("app"), try page.parameter("version"))
            let source = try await ConsoleLaunchPage.catalogSource(page, app: app, version: version)
            return try ConsoleLaunchPage.form(page, source: source, action: ConsoleEndUser.catalogLaunchPath(app, version), project: nil,
                                              chooseProject: try await ConsoleProjects.reachable(page), submitted: nil, refusal: nil)
        }
        pages.post("catalog/apps/:app/:version/launch") { page in
            let (app, version) = (try page.parameter("app"), try page.parameter("version"))
            guard let project = page.form.text("project") else {
                throw PlatformError(.httpBadRequest, "choose the project to launch \(app) \(version) into")
            }
            let source = try await ConsoleLaunchPage.catalogSource(page, app: app, version: version)
            return try await ConsoleLaunchPage.launch(page, source: source, project: project, action: ConsoleEndUser.catalogLaunchPath(app, version),
                                                      chooseProject: try await ConsoleProjects.reachable(page))
        }

        pages.get("instances") { page in try await ConsoleInstancePages.list(page, project: nil) }
        pages.get("projects/:project/instances") { page in try await ConsoleInstancePages.list(page, project: try page.parameter("project")) }
        pages.get("projects/:project/instances/:instance") { page in
            try await ConsoleInstancePages.show(page, project: try page.parameter("project"), id: try page.parameter("instance"))
        }
        pages.get("projects/:project/instances/:instance/events") { page in
            try await ConsoleInstanceActions.events(page, project: try page.parameter("project"), id: try page.parameter("instance"))
        }
        pages.post("projects/:project/instances/:instance/stop") { page in
            try await ConsoleInstanceActions.stop(page, project: try page.parameter("project"), id: try page.parameter("instance"))
        }
        pages.post("projects/:project/instances/:instance/connect/:action") { page in
            try await ConsoleInstanceActions.connect(page, project: try page.parameter("project"), id: try page.parameter("instance"),
                                                     action: try page.parameter("action"))
        }

        pages.get("usage") { page in try await ConsoleUsagePage.render(page, project: nil) }
        pages.get("projects/:project/usage") { page in try await ConsoleUsagePage.render(page, project: try page.parameter("project")) }
    }
}
