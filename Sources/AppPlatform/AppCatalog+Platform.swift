import ArtifactRegistry
import Foundation
import ManifestKit
import PlatformContracts
import PlatformStore
import SQLKit

/// The platform-wide curated catalog, beside the per-project catalog: platform control
/// publishes a version registered in a platform-owned project, pinned to its manifest digest
/// and its image's digest, and every tenant lists it and launches it into its own project.
///
/// Publishing reuses the source project's registry repository, signing keys, trust ledger and
/// evidence unchanged: whoever builds and signs there (a developer of the platform's own
/// tenant) is not the one who publishes (platform control, which holds no signing scope), so
/// the catalog keeps the platform's separation of duties.
extension AppCatalog {
    /// Publishes `request.app@request.version`, registered in `project`, into the platform
    /// catalog. The image named by the manifest is resolved to its digest now and must already
    /// satisfy the manifest's `artifact.requiredTrust` (``ErrorCode/instanceArtifactUntrusted``
    /// otherwise). Publishing the same pins again is a no-op; other pins under a published
    /// version are ``ErrorCode/appVersionExists``.
    /// - Parameter project: The source project, resolved within the caller's reach by the route.
    public func publishToPlatform(from project: Project, _ request: CatalogPublishRequest, registry: OCIRegistry, ledger: TrustLedger,
                                  by caller: Caller, requestID: String?) async throws -> CatalogEntry {
        try request.validateText()
        let versions = try await versions(in: project, name: request.app)
        guard let registered = versions.first(where: { $0.version == request.version }) else {
            throw PlatformError(.appNotFound, "\(request.app) has no version \(request.version) in project \(project.id)",
                                details: ["versions": versions.map(\.version).joined(separator: ",")])
        }
        let manifest: LaunchManifest
        do {
            manifest = try LaunchManifest.parse(registered.manifest)
        } catch {
            throw PlatformError(.manifestInvalid, "the registered manifest of \(request.app)@\(request.version) cannot be read: \(error)")
        }
        let (repository, tag) = ImageTrustCheck.repository(for: manifest.artifact.reference, in: project)
        let required = manifest.artifact.requiredTrust.flatMap(TrustState.init(rawValue:)) ?? .registered
        let (digest, state) = try await ImageTrustCheck(registry: registry, ledger: ledger).verify(
            repository, tag, in: project, required: required,
            absent: "\(repository):\(tag) is not in the registry; push and promote it before publishing",
            insufficient: { digest, state in
                "\(repository)@\(digest) is \(state.rawValue); the manifest requires \(required.rawValue) or above before it is published"
            })
        let entry = CatalogEntry(
            app: registered.name, version: registered.version, description: Self.summary(of: registered.manifest), state: .current,
            sourceProjectId: project.id, sourceTenantId: project.tenantId, manifestDigest: registered.digest, repository: repository,
            imageDigest: digest.description, trustAtPublish: state.rawValue, publishedBy: caller.principalId,
            publishedAt: clock.now().rfc3339)
        return try await store.transaction { db in
            if let existing = try await Self.platformEntry(app: entry.app, version: entry.version, db) {
                guard existing.sourceProjectId == entry.sourceProjectId, existing.manifestDigest == entry.manifestDigest,
                      existing.imageDigest == entry.imageDigest else {
                    throw PlatformError(.appVersionExists, "\(entry.app) \(entry.version) is already published with other pins (manifest \(existing.manifestDigest), image \(existing.imageDigest)); catalog versions are immutable")
                }
                return existing
            }
            try await db.insert(into: "apps_platform_catalog")
                .columns("app", "version", "description", "state", "source_project_id", "source_tenant_id", "manifest_digest",
                         "repository", "image_digest", "trust_at_publish", "published_by", "published_at")
                .values(SQLBind(entry.app), SQLBind(entry.version), SQLBind(entry.description), SQLBind(entry.state.rawValue),
                        SQLBind(entry.sourceProjectId), SQLBind(entry.sourceTenantId), SQLBind(entry.manifestDigest),
                        SQLBind(entry.repository), SQLBind(entry.imageDigest), SQLBind(entry.trustAtPublish),
                        SQLBind(entry.publishedBy), SQLBind(entry.publishedAt))
                .run()
            try await audit.append(
                AuditEvent(actor: PrincipalID(caller.principalId), action: "apps.catalog.publish",
                           target: "catalog/\(entry.app)@\(entry.version)", outcome: .success, requestID: requestID,
                           details: ["source_project": project.id, "manifest_digest": entry.manifestDigest,
                                     "image": "\(repository)@\(entry.imageDigest)", "trust": entry.trustAtPublish],
                           project: project.id),
                tenant: project.tenantId, in: db)
            return entry
        }
    }

    /// Withdraws a catalog version from new launches (running instances are left alone). The
    /// replacement, when named, must be a current version of the same app. Deprecating again
    /// replaces the message and replacement.
    /// - Throws: ``ErrorCode/appNotFound`` for an unpublished version or replacement.
    public func deprecateInPlatform(_ request: CatalogDeprecationRequest, by caller: Caller, requestID: String?) async throws -> CatalogEntry {
        try request.validateText()
        guard !request.message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw PlatformError(.validationInvalidText, "a deprecation needs a message tenants can act on")
        }
        let now = clock.now().rfc3339
        return try await store.transaction { db in
            guard var entry = try await Self.platformEntry(app: request.app, version: request.version, db) else {
                throw PlatformError(.appNotFound, "\(request.app) \(request.version) is not in the platform catalog")
            }
            if let replacement = request.replacement {
                guard replacement != request.version,
                      let target = try await Self.platformEntry(app: request.app, version: replacement, db), target.state == .current else {
                    throw PlatformError(.appNotFound, "the replacement \(request.app) \(replacement) is not a current version in the platform catalog")
                }
            }
            entry.state = .deprecated
            entry.deprecation = CatalogDeprecation(message: request.message, replacement: request.replacement,
                                                   deprecatedBy: caller.principalId, deprecatedAt: now)
            try await db.update("apps_platform_catalog")
                .set("state", to: SQLBind(entry.state.rawValue)).set("deprecation_message", to: SQLBind(request.message))
                .set("replacement", to: SQLBind(request.replacement)).set("deprecated_by", to: SQLBind(caller.principalId))
                .set("deprecated_at", to: SQLBind(now))
                .where("app", .equal, entry.app).where("version", .equal, entry.version)
                .run()
            try await audit.append(
                AuditEvent(actor: PrincipalID(caller.principalId), action: "apps.catalog.deprecate",
                           target: "catalog/\(entry.app)@\(entry.version)", outcome: .success, requestID: requestID,
                           details: ["message": String(request.message.prefix(300)), "replacement": request.replacement ?? ""],
                           project: entry.sourceProjectId),
                tenant: entry.sourceTenantId, in: db)
            return entry
        }
    }

    /// Every catalog version, by app then publication (oldest first).
    public func platformEntries(app: String? = nil) async throws -> [CatalogEntry] {
        try await store.read { db in
            var query = db.select().columns("*").from("apps_platform_catalog").orderBy("app").orderBy("published_at").orderBy("version")
            if let app { query = query.where("app", .equal, app) }
            return try await query.all().map(Self.entry(from:))
        }
    }

    /// The catalog version a launch of `app` gets when the project has no app of that name:
    /// `version` when given (refused with ``ErrorCode/catalogVersionDeprecated`` when
    /// deprecated), else the most recently published current one (as a project launch takes
    /// the latest registered); with its registered manifest, checked against the pinned
    /// digest. `nil` when the catalog has no such app.
    func launchable(app: String, version: String?) async throws -> (entry: CatalogEntry, manifest: AppVersion)? {
        let entries = try await platformEntries(app: app)
        guard !entries.isEmpty else { return nil }
        let entry: CatalogEntry
        if let version {
            guard let wanted = entries.first(where: { $0.version == version }) else {
                throw PlatformError(.appNotFound, "\(app) has no version \(version) in the platform catalog",
                                    details: ["versions": entries.filter { $0.state == .current }.map(\.version).joined(separator: ",")])
            }
            try Self.refuseIfDeprecated(wanted)
            entry = wanted
        } else {
            guard let newest = entries.last(where: { $0.state == .current }) else {
                try Self.refuseIfDeprecated(entries[entries.count - 1])
                throw PlatformError(.appNotFound, "\(app) has no current version in the platform catalog")
            }
            entry = newest
        }
        guard let manifest = try await registeredVersion(of: entry) else {
            throw PlatformError(.appNotFound, "\(app)@\(entry.version) is no longer registered in the catalog's project \(entry.sourceProjectId)")
        }
        return (entry, manifest)
    }

    /// The manifest text of an instance's app: the project's own registration of that version,
    /// else the platform catalog's (deprecated or not: a running instance stays connectable).
    func manifestText(ofInstance app: String, version: String, in project: Project) async throws -> String? {
        if let own = try await registration(of: app, version: version, projectId: project.id) { return own.manifest }
        let entry = try await store.read { db in try await Self.platformEntry(app: app, version: version, db) }
        guard let entry else { return nil }
        return try await registeredVersion(of: entry)?.manifest
    }

    /// The source project's registration the entry pins (`nil` when gone or changed).
    private func registeredVersion(of entry: CatalogEntry) async throws -> AppVersion? {
        guard let version = try await registration(of: entry.app, version: entry.version, projectId: entry.sourceProjectId),
              version.digest == entry.manifestDigest else { return nil }
        return version
    }

    /// One registered version of an app in a project, if registered.
    private func registration(of app: String, version: String, projectId: String) async throws -> AppVersion? {
        let row = try await store.read { db in
            try await db.select().columns("*").from("apps_catalog").where("project_id", .equal, projectId)
                .where("name", .equal, app).where("version", .equal, version).first()
        }
        return try row.map(Self.version(from:))
    }

    private static func refuseIfDeprecated(_ entry: CatalogEntry) throws(PlatformError) {
        guard entry.state == .deprecated else { return }
        let message = entry.deprecation?.message ?? "deprecated"
        let instead = entry.deprecation?.replacement.map { "; launch \(entry.app) \($0) instead (--version \($0))" } ?? ""
        throw PlatformError(.catalogVersionDeprecated, "\(entry.app) \(entry.version) is deprecated in the platform catalog: \(message)\(instead)",
                            details: ["replacement": entry.deprecation?.replacement ?? ""])
    }

    /// The manifest's `metadata.description`, if any.
    static func summary(of manifest: String) -> String? {
        struct Head: Decodable {
            struct Metadata: Decodable { var description: String? }
            var metadata: Metadata
        }
        return (try? YAMLHead.decode(Head.self, from: manifest))?.metadata.description
    }

    static func platformEntry(app: String, version: String, _ db: any SQLDatabase) async throws -> CatalogEntry? {
        try await db.select().columns("*").from("apps_platform_catalog").where("app", .equal, app).where("version", .equal, version)
            .first().map(entry(from:))
    }

    static func entry(from row: any SQLRow) throws -> CatalogEntry {
        let message = try row.decode(column: "deprecation_message", as: String?.self)
        let deprecation = try message.map {
            CatalogDeprecation(
                message: $0, replacement: try row.decode(column: "replacement", as: String?.self),
                deprecatedBy: try row.decode(column: "deprecated_by", as: String?.self) ?? "",
                deprecatedAt: try row.decode(column: "deprecated_at", as: String?.self) ?? "")
        }
        return CatalogEntry(
            app: try row.decode(column: "app", as: String.self), version: try row.decode(column: "version", as: String.self),
            description: try row.decode(column: "description", as: String?.self),
            state: CatalogEntryState(rawValue: try row.decode(column: "state", as: String.self)) ?? .deprecated,
            sourceProjectId: try row.decode(column: "source_project_id", as: String.self),
            sourceTenantId: try row.decode(column: "source_tenant_id", as: String.self),
            manifestDigest: try row.decode(column: "manifest_digest", as: String.self),
            repository: try row.decode(column: "repository", as: String.self),
            imageDigest: try row.decode(column: "image_digest", as: String.self),
            trustAtPublish: try row.decode(column: "trust_at_publish", as: String.self),
            publishedBy: try row.decode(column: "published_by", as: String.self),
            publishedAt: try row.decode(column: "published_at", as: String.self), deprecation: deprecation)
    }
}
