import Crypto
import Foundation
import ManifestKit
import PlatformContracts
import PlatformStore
import SQLKit

/// A manifest the server refused, with the same diagnostics the offline validator prints.
public struct ManifestRejection: Error, Sendable {
    /// Every problem.
    public let diagnostics: [ManifestDiagnostic]
}

/// The app catalog: registered, immutable app versions per project. The server re-validates
/// every manifest with the same validator `appctl manifest validate` runs offline.
public struct AppCatalog: Sendable {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "apps", kind: .product, contract: "AppCatalog", summary: "the app catalog and launch/connect orchestration.")

    let store: SQLStore
    let audit: any TransactionalAuditing
    let validator: ManifestValidator
    let registryVersions: [String: Int]
    /// Stamps registrations (`registeredAt`), like everything else in the app platform.
    let clock: any PlatformClock

    /// Creates the catalog.
    /// It asks IAM nothing: callers pass the project the request already resolved.
    public init(store: SQLStore, audit: any TransactionalAuditing, validator: ManifestValidator,
                registryVersions: [String: Int], clock: any PlatformClock = SystemClock()) {
        self.clock = clock
        self.store = store
        self.audit = audit
        self.validator = validator
        self.registryVersions = registryVersions
    }

    /// Validates and registers a manifest; the same content again is a no-op, other content
    /// under an existing version is ``ErrorCode/appVersionExists``.
    /// - Throws: ``ManifestRejection`` with the diagnostics when the manifest is invalid.
    /// - Parameter project: The project the request resolved within the caller's reach.
    public func register(in project: Project, file: String, manifest: String, by caller: Caller, requestID: String?) async throws -> AppVersion {
        try TextPolicy.requireIdentifier(file, field: "file")
        try TextPolicy.requireFreeText(manifest, field: "manifest")
        let report = validator.validate(text: manifest, file: file)
        guard report.valid else { throw ManifestRejection(diagnostics: report.diagnostics) }
        let fields = try Self.identity(of: manifest)
        let digest = "sha256:" + SHA256.hash(data: Data(manifest.utf8)).lowercaseHex
        let version = AppVersion(
            projectId: project.id, name: fields.name, version: fields.version, digest: digest, registeredBy: caller.principalId,
            registeredAt: clock.now().rfc3339, registryVersions: registryVersions, manifest: manifest)
        return try await store.transaction { db in
            if let existing = try await db.select().columns("*").from("apps_catalog")
                .where("project_id", .equal, project.id).where("name", .equal, version.name).where("version", .equal, version.version)
                .first() {
                let stored = try Self.version(from: existing)
                guard stored.digest == digest else {
                    throw PlatformError(.appVersionExists, "\(version.name) \(version.version) is already registered with other content (\(stored.digest)); versions are immutable, bump metadata.version")
                }
                return stored
            }
            try await db.insert(into: "apps_catalog")
                .columns("project_id", "name", "version", "digest", "manifest", "registry_versions", "registered_by", "registered_at")
                .values(SQLBind(version.projectId), SQLBind(version.name), SQLBind(version.version), SQLBind(digest),
                        SQLBind(manifest), SQLBind(String(decoding: try JSONEncoder().encode(registryVersions), as: UTF8.self)),
                        SQLBind(version.registeredBy), SQLBind(version.registeredAt))
                .run()
            try await audit.append(
                AuditEvent(actor: PrincipalID(caller.principalId), action: "apps.app.register",
                           target: "app/\(project.id)/\(version.name)@\(version.version)", outcome: .success, requestID: requestID,
                           details: ["digest": digest], project: project.id),
                tenant: project.tenantId, in: db)
            return version
        }
    }

    /// Every registered version in a project, by name then registration time. The project is
    /// the one the request already resolved for its caller: no second IAM lookup.
    /// - Throws: ``ErrorCode/appNotFound`` when `name` is given and has no version.
    /// - Parameter orEmpty: Answer `[]` instead of throwing when `name` has no version.
    public func versions(in project: Project, name: String? = nil, orEmpty: Bool = false) async throws -> [AppVersion] {
        let versions = try await store.read { db in
            var query = db.select().columns("*").from("apps_catalog").where("project_id", .equal, project.id)
                .orderBy("name").orderBy("registered_at")
            if let name { query = query.where("name", .equal, name) }
            return try await query.all().map(Self.version(from:))
        }
        if let name, versions.isEmpty, !orEmpty { throw PlatformError(.appNotFound, "no app \(name) in project \(project.id)") }
        return versions
    }

    static func identity(of manifest: String) throws -> (name: String, version: String) {
        struct Head: Decodable {
            struct Metadata: Decodable { var name: String; var version: String }
            var metadata: Metadata
        }
        let head = try YAMLHead.decode(Head.self, from: manifest)
        return (head.metadata.name, head.metadata.version)
    }

    static func version(from row: any SQLRow) throws -> AppVersion {
        AppVersion(
            projectId: try row.decode(column: "project_id", as: String.self), name: try row.decode(column: "name", as: String.self),
            version: try row.decode(column: "version", as: String.self), digest: try row.decode(column: "digest", as: String.self),
            registeredBy: try row.decode(column: "registered_by", as: String.self),
            registeredAt: try row.decode(column: "registered_at", as: String.self),
            registryVersions: try JSONDecoder().decode([String: Int].self, from: Data(try row.decode(column: "registry_versions", as: String.self).utf8)),
            manifest: try row.decode(column: "manifest", as: String.self))
    }
}
