import Foundation
import HTTPTypes
import PlatformAPI
import PlatformClient
import PlatformContracts

/// What the operator pages share: the platform-caller check for pages that walk every tenant,
/// an API refusal as a page model (shown in place, so the operator sees the API's own reason
/// next to the form that caused it), and the small conversions forms need.
enum OperatorPageSupport {
    /// Refuses a tenant- or project-bound caller: a page that lists "every tenant" would show
    /// such a key only its own slice and call it the platform.
    /// - Throws: ``ErrorCode/iamForbidden``.
    static func requirePlatformCaller(_ page: ConsoleRequest) throws(PlatformError) {
        guard page.caller.tenantId == nil, page.caller.projectId == nil else {
            throw PlatformError(.iamForbidden, "the platform pages need a platform-wide key; this key is bound to a tenant or project")
        }
    }

    /// Every project on the platform (tenants → projects), sorted by tenant then project.
    static func projects(_ page: ConsoleRequest) async throws -> [ConsoleProjects.Entry] {
        try requirePlatformCaller(page)
        return try await ConsoleProjects.reachable(page)
    }

    /// An API refusal as `{status, code, message}`; `nil` for anything that is not a refusal
    /// (those still become the error page).
    static func refusal(_ error: any Error) -> [String: Any]? {
        switch error {
        case let error as PlatformClientError:
            guard let status = error.status else { return nil }
            let code: String
            if case .rejected(let rejection) = error { code = rejection.codeText ?? "http.\(status)" } else { code = "http.\(status)" }
            return ["status": status, "code": code, "message": error.message]
        case let error as PlatformError:
            return ["status": Int(error.code.responseStatus.code), "code": error.code.rawValue, "message": error.message]
        default:
            return nil
        }
    }

    /// A form's time as RFC 3339 UTC: `datetime-local` values (`2026-12-07T10:00`) are read as UTC.
    static func utc(_ text: String?) -> String? {
        guard var text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if text.hasSuffix("Z") || text.hasSuffix("z") { return text }
        if text.count == 16 { text += ":00" }
        return text + "Z"
    }

    /// A path segment for a link (`/` in a repository name becomes `%2F`).
    static func segment(_ text: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove("/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// An id safe inside an `id` attribute (ULIDs and event ids already are; anything else is
    /// reduced to letters, digits, `-` and `_`).
    static func htmlID(_ text: String) -> String {
        String(text.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" ? Character($0) : "-" })
    }

    /// The first `count` characters of a digest or SHA, for a table cell (the full value stays in `title`).
    static func short(_ text: String, _ count: Int = 19) -> String {
        text.count > count ? String(text.prefix(count)) + "…" : text
    }
}
