import Foundation
import Hummingbird
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `/console/admin/keys`: service accounts (tenant-wide and per project) and their API keys
/// with owner, scopes, creation, expiry ("in N days") and state; create, rotate and revoke.
/// A key's secret exists only in the answer to the POST that issued it (``issued(_:_:heading:replaced:)``):
/// it is never put in a URL, a cookie or a redirect, so it cannot be replayed from history.
enum AdminKeysPage {
    /// The roles an account may be given (the API refuses one not assignable where asked).
    static let roles = ["tenant-admin", "project-admin", "developer", "viewer", "usage-reporter", "security-owner"]

    /// The service accounts in reach, keyed by id, with where each works.
    struct Account: Sendable {
        let account: ServiceAccount
        /// `tenant:ID` or `project:ID`: the owner field of the forms.
        let owner: String
        /// `tenant-a` or `tenant-a/project-x`.
        let place: String
    }

    static func accounts(_ page: ConsoleRequest, reach: AdminReach) async throws -> [Account] {
        var accounts: [Account] = []
        for entry in reach.tenants where page.caller.projectId == nil {
            do {
                let tenantWide = try await page.api.send(Endpoints.listTenantServiceAccounts, path: .init(tenant: entry.tenant.id))
                accounts += tenantWide.map { Account(account: $0, owner: "tenant:\(entry.tenant.id)", place: entry.tenant.name) }
            } catch where AdminText.isRefusal(error) {}
        }
        for (tenant, project) in reach.projects {
            do {
                let inProject = try await page.api.send(Endpoints.listServiceAccounts, path: .init(project: project.id))
                accounts += inProject.map { Account(account: $0, owner: "project:\(project.id)", place: "\(tenant.name)/\(project.name)") }
            } catch where AdminText.isRefusal(error) {}
        }
        return accounts
    }

    static func show(_ page: ConsoleRequest) async throws -> Response {
        let reach = try await AdminReach.read(page)
        let accounts = try await accounts(page, reach: reach)
        let names = Dictionary(accounts.map { ($0.account.id, $0.account.name) }, uniquingKeysWith: { first, _ in first })
        let keys = try await page.api.send(Endpoints.listKeys).filter { reach.covers(tenant: $0.tenantId) }
        let now = Timestamp.now()
        let canRotate = page.allows("iam:key:rotate"), canRevoke = page.allows("iam:key:revoke")
        let keyRows: [[String: Any]] = keys.map { key in
            let expired = key.expiresAt <= now.rfc3339
            let state: String
            if key.revokedAt != nil {
                state = "revoked"
            } else if expired {
                state = "expired"
            } else if key.replacedBy != nil {
                state = "rotated"
            } else {
                state = "active"
            }
            let owner = key.principalId == page.caller.principalId
                ? "\(page.caller.principalName) (you)" : names[key.principalId] ?? key.principalId
            return [
                "id": key.id, "owner": owner, "ownerId": key.principalId,
                "place": reach.projectPath(key.projectId) ?? reach.tenantName(key.tenantId),
                "scopes": key.scopes.joined(separator: " "), "scopeCount": key.scopes.count,
                "created": AdminText.short(key.createdAt), "createdAt": key.createdAt,
                "expires": AdminText.short(key.expiresAt), "expiresAt": key.expiresAt,
                "expiresIn": expired ? "expired \(AdminText.relative(key.expiresAt, now: now))" : "expires \(AdminText.relative(key.expiresAt, now: now))",
                "state": state, "stateClass": state == "active" ? "ok" : (state == "rotated" ? "warn" : "bad"),
                "replacedBy": key.replacedBy ?? "", "rotatedTo": key.replacedBy != nil, "revokedAt": key.revokedAt.map(AdminText.short) ?? "", "hasRevokedAt": key.revokedAt != nil,
                "current": key.id == page.caller.keyId,
                "canRotate": canRotate && state == "active",
                "canRevoke": canRevoke && key.revokedAt == nil && !expired,
            ]
        }
        let accountRows: [[String: Any]] = accounts.map { entry in
            ["id": entry.account.id, "name": entry.account.name, "role": entry.account.role, "place": entry.place, "owner": entry.owner,
             "created": AdminText.short(entry.account.createdAt),
             "keys": keys.filter { $0.principalId == entry.account.id && $0.revokedAt == nil }.count,
             "canDelete": page.allows("iam:serviceaccount:delete")]
        }
        var owners: [[String: Any]] = []
        if page.caller.projectId == nil {
            owners += reach.tenants.map { ["value": "tenant:\($0.tenant.id)", "label": "\($0.tenant.name) (whole tenant)"] }
        }
        owners += reach.projects.map { ["value": "project:\($0.project.id)", "label": "\($0.tenant.name)/\($0.project.name)"] }
        var model = reach.filterModel()
        model["filterAction"] = "/console/admin/keys"
        model["keys"] = keyRows
        model["hasKeys"] = !keyRows.isEmpty
        model["accounts"] = accountRows
        model["hasAccounts"] = !accountRows.isEmpty
        model["accountOptions"] = accounts.map { ["id": $0.account.id, "label": "\($0.account.name) (\($0.account.role), \($0.place))"] }
        model["owners"] = owners
        model["roles"] = roles.map { ["role": $0] }
        model["scopes"] = page.caller.scopes.sorted().enumerated().map { ["index": $0.offset, "scope": $0.element] }
        model["canCreateAccount"] = page.allows("iam:serviceaccount:create") && !owners.isEmpty
        model["canCreateKey"] = page.allows("iam:key:create") && !accounts.isEmpty
        return try page.render(.adminKeys, title: "Service accounts and keys", model)
    }

    /// `POST admin/accounts`: a service account in a tenant (tenant-wide) or a project.
    static func createAccount(_ page: ConsoleRequest) async throws -> Response {
        guard let name = page.form.text("name"), let role = page.form.text("role"), let owner = page.form.text("owner") else {
            throw PlatformError(.iamInvalidRequest, "a service account needs a name, a role and where it works")
        }
        let request = ServiceAccountRequest(name: name, role: role)
        let account: ServiceAccount
        if owner.hasPrefix("tenant:") {
            account = try await page.api.send(Endpoints.createTenantServiceAccount, path: .init(tenant: String(owner.dropFirst(7))), body: request)
        } else if owner.hasPrefix("project:") {
            account = try await page.api.send(Endpoints.createServiceAccount, path: .init(project: String(owner.dropFirst(8))), body: request)
        } else {
            throw PlatformError(.iamInvalidRequest, "choose the tenant or project the account works in")
        }
        return page.redirect(to: "/console/admin/keys", notice: "Service account \(account.name) (\(account.role)) created.")
    }

    /// `POST admin/accounts/:account/delete`: deletes the account and revokes its keys.
    static func deleteAccount(_ page: ConsoleRequest) async throws -> Response {
        let account = try page.parameter("account")
        guard let owner = page.form.text("owner") else { throw PlatformError(.iamInvalidRequest, "which tenant or project is the account in?") }
        if owner.hasPrefix("tenant:") {
            _ = try await page.api.send(Endpoints.deleteTenantServiceAccount, path: .init(tenant: String(owner.dropFirst(7)), account: account))
        } else {
            _ = try await page.api.send(Endpoints.deleteServiceAccount, path: .init(project: String(owner.dropFirst(8)), account))
        }
        return page.redirect(to: "/console/admin/keys", notice: "Service account \(account) deleted; its keys are revoked.")
    }

    /// `POST admin/keys`: issues a key and shows it once.
    static func createKey(_ page: ConsoleRequest) async throws -> Response {
        guard let account = page.form.text("serviceAccount") else { throw PlatformError(.iamInvalidRequest, "choose the service account the key is for") }
        let scopes = page.form.all("scopes").flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init) }
        let days = Int64(page.form.text("expiresInDays") ?? "30") ?? -1
        guard days > 0 else { throw PlatformError(.iamExpiryInvalid, "the key's lifetime is a whole number of days, at least 1") }
        let issued = try await page.api.send(Endpoints.createKey, body: KeyRequest(serviceAccount: account, scopes: scopes, expiresInSeconds: days * 86_400))
        return try issuedPage(page, issued, heading: "New key issued", replaced: nil)
    }

    /// `POST admin/keys/:key/rotate`: a replacement with the same binding and scopes, shown once;
    /// the old key keeps working for the overlap (the API's default, or `overlapSeconds`).
    static func rotate(_ page: ConsoleRequest) async throws -> Response {
        let key = try page.parameter("key")
        var overlap: Int64?
        if let text = page.form.text("overlapSeconds") {
            guard let value = Int64(text) else { throw PlatformError(.iamExpiryInvalid, "the overlap is a whole number of seconds") }
            overlap = value
        }
        let issued = try await page.api.send(Endpoints.rotateKey, path: .init(key: key), body: RotateKeyRequest(overlapSeconds: overlap))
        return try issuedPage(page, issued, heading: "Key rotated", replaced: key)
    }

    /// `POST admin/keys/:key/revoke`.
    static func revoke(_ page: ConsoleRequest) async throws -> Response {
        let key = try page.parameter("key")
        let info = try await page.api.send(Endpoints.revokeKey, path: .init(key: key))
        return page.redirect(to: "/console/admin/keys", notice: "Key \(info.id) revoked.")
    }

    /// The one page that ever shows a key's secret: the answer (200) to the POST that issued it.
    static func issuedPage(_ page: ConsoleRequest, _ issued: IssuedKey, heading: String, replaced: String?) throws -> Response {
        let info = issued.info
        return try page.render(.adminIssued, title: heading, [
            "heading": heading, "key": issued.key, "id": info.id, "principal": info.principalId,
            "scopes": info.scopes.joined(separator: " "), "expires": AdminText.short(info.expiresAt), "expiresAt": info.expiresAt,
            "expiresIn": AdminText.relative(info.expiresAt), "replaced": replaced ?? "", "rotated": replaced != nil,
        ] as [String: Any])
    }
}
