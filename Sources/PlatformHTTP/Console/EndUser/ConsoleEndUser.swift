import Foundation
import PlatformAPI
import PlatformClient
import PlatformContracts

extension ConsoleTemplate {
    /// Project and platform catalog apps, one row per version.
    static let userCatalog = ConsoleTemplate("user-catalog")
    /// The launch form generated from a manifest's `params`.
    static let userLaunch = ConsoleTemplate("user-launch")
    /// Instances of one or every reachable project.
    static let userInstances = ConsoleTemplate("user-instances")
    /// One instance: live phase, connect, stop, logs, usage, events.
    static let userInstance = ConsoleTemplate("user-instance")
    /// Usage and cost per project and instance.
    static let userUsage = ConsoleTemplate("user-usage")
}

/// The end user's pages share these paths and error readings. Every path segment the pages
/// put into a URL is an id or a manifest identifier (ULIDs, `[a-zA-Z0-9._-]` names), so it
/// is written as is; Mustache escapes it in attributes anyway.
enum ConsoleEndUser {
    static func instancesPath(_ project: String) -> String { "/console/projects/\(project)/instances" }
    static func instancePath(_ project: String, _ instance: String) -> String { "\(instancesPath(project))/\(instance)" }
    static func launchPath(_ project: String, _ app: String, _ version: String) -> String {
        "/console/projects/\(project)/apps/\(app)/\(version)/launch"
    }
    /// A platform catalog version launched from `/console/catalog`: the form picks the project.
    static func catalogLaunchPath(_ app: String, _ version: String) -> String { "/console/catalog/apps/\(app)/\(version)/launch" }

    /// The API's refusal: HTTP status, stable code, message and `details`, from a client error.
    struct Refusal {
        let status: Int
        let code: String
        let message: String
        let details: [String: String]

        init?(_ error: any Error) {
            guard case .rejected(let rejection) = error as? PlatformClientError else { return nil }
            status = rejection.status
            code = rejection.codeText ?? "console.upstream_error"
            message = rejection.message ?? "the API answered \(rejection.status)"
            details = (try? JSONDecoder().decode(ErrorBody.self, from: rejection.body))?.error.details ?? [:]
        }

        /// The refusal says the caller may not see the project (or anything in it): the page
        /// must be the error page, never a form that echoes what was asked.
        var hidesTheProject: Bool { [ErrorCode.iamNotFound.rawValue, ErrorCode.iamUnauthenticated.rawValue].contains(code) }
    }

    /// `body`'s answer, or `nil` when the API refuses because the caller lacks the scope or
    /// the server lacks the service (a section of a page the caller may not see is left out,
    /// the rest of the page still shows).
    static func optional<T: Sendable>(_ body: () async throws -> T) async throws -> (value: T?, problem: String?) {
        do {
            return (try await body(), nil)
        } catch let error as PlatformClientError {
            guard let refusal = Refusal(error), [403, 500, 501, 503].contains(refusal.status) else { throw error }
            return (nil, "\(refusal.message) (\(refusal.code))")
        }
    }

    /// `2026-12-07T08:31:02.123Z` → `2026-12-07 08:31:02Z`: what a table shows.
    static func time(_ text: String?) -> String {
        guard let text, text.count >= 19 else { return text ?? "" }
        return text.prefix(10) + " " + text.dropFirst(11).prefix(8) + "Z"
    }
}
