@testable import AppPlatform
import Foundation
import PlatformContracts
import PlatformTestKit
import Testing

/// The platform-wide curated catalog in process, on SQLite and PostgreSQL: platform control
/// publishes a version registered in a platform-owned project (``FastTier/catalogProject``,
/// another tenant), pinned by digest; a tenant project with no app of its own launches it into
/// itself, under its own quota; a deprecated version is refused with its message; a project's
/// own app of the same name wins.
@Suite("Platform catalog")
struct PlatformCatalogTests {
    static let platformControl = Caller(principalId: "01JPCTR0000000000000000000", principalName: "platform-control",
                                        principalKind: "service_account", keyId: "KPC", tenantId: nil, projectId: nil, scopes: [],
                                        expiresAt: "2099-01-01T00:00:00Z")

    /// Registers `name` (at `version`) in the catalog project, pushes its image there and publishes it.
    static func publish(_ tier: FastTier, _ name: String = "web", version: String = "1.0.0") async throws -> CatalogEntry {
        let manifest = TestManifests.app(name).replacingOccurrences(of: "  version: 1.0.0", with: "  version: \(version)")
        try await tier.register(manifest, in: FastTier.catalogProject)
        try await tier.pushArtifact(in: FastTier.catalogProject)
        return try await tier.service.publishToCatalog(from: FastTier.catalogProject, CatalogPublishRequest(app: name, version: version),
                                                       by: platformControl, requestID: "RP")
    }

    @Test("published versions are pinned by digest, listed platform-wide, and launched into a tenant project that registered nothing",
          arguments: FastTier.Database.enabled)
    func publishListAndLaunchFromAnotherTenant(database: FastTier.Database) async throws {
        try await FastTier.with(database: database) { tier in
            let entry = try await Self.publish(tier)
            #expect(entry.state == .current && entry.sourceProjectId == FastTier.catalogProject.id)
            #expect(entry.repository == "\(FastTier.catalogProject.id.lowercased())/demo" && entry.imageDigest.hasPrefix("sha256:"))
            #expect(entry.manifestDigest.hasPrefix("sha256:") && entry.trustAtPublish == "registered")
            // Publishing the same pins again is a no-op.
            #expect(try await Self.publish(tier) == entry)
            #expect(try await tier.catalog.platformEntries() == [entry])
            let published = try #require(tier.audit.recorded("apps.catalog.publish").last)
            #expect(published.target == "catalog/web@1.0.0" && published.details["source_project"] == FastTier.catalogProject.id)

            // The tenant's project has no app of its own.
            #expect(try await tier.catalog.versions(in: FastTier.project, orEmpty: true).isEmpty)
            let record = try await tier.launch("web")
            #expect(record.projectId == FastTier.project.id)
            #expect(record.image == "\(entry.repository)@\(entry.imageDigest)")
            #expect(record.message?.contains("from the platform catalog (web 1.0.0)") == true, "\(record.message ?? "")")
            try await tier.waitFor(record.id, .ready)
            let launch = try #require(tier.audit.recorded("apps.instance.launch").last)
            #expect(launch.project == FastTier.project.id && launch.details["catalog"] == "web@1.0.0")
            #expect(launch.details["catalog_source_project"] == FastTier.catalogProject.id)
        }
    }

    @Test("a catalog launch counts against the launching project's quota", arguments: FastTier.Database.enabled)
    func catalogLaunchUsesTheTenantsQuota(database: FastTier.Database) async throws {
        try await FastTier.with(policy: TestPolicy.snapshot(["quota.concurrent_instances": .integer(1)]), database: database) { tier in
            _ = try await Self.publish(tier)
            let first = try await tier.launch("web")
            try await tier.waitFor(first.id, .ready)
            do {
                _ = try await tier.launch("web")
                Issue.record("a second instance launched past a quota of one")
            } catch let error as PlatformError {
                #expect(error.code == .instanceQuotaExceeded, "\(error)")
            }
        }
    }

    @Test("a deprecated version is refused with its message naming the replacement; the default moves to the newest current one",
          arguments: FastTier.Database.enabled)
    func deprecatedVersionIsRefused(database: FastTier.Database) async throws {
        try await FastTier.with(database: database) { tier in
            _ = try await Self.publish(tier, version: "1.0.0")
            let newer = try await Self.publish(tier, version: "1.1.0")
            // The replacement must be a current catalog version.
            await #expect(throws: PlatformError.self) {
                _ = try await tier.catalog.deprecateInPlatform(
                    CatalogDeprecationRequest(app: "web", version: "1.0.0", message: "x", replacement: "9.9.9"),
                    by: Self.platformControl, requestID: nil)
            }
            let deprecated = try await tier.catalog.deprecateInPlatform(
                CatalogDeprecationRequest(app: "web", version: "1.0.0", message: "CVE-2026-0001 in the base image", replacement: "1.1.0"),
                by: Self.platformControl, requestID: "RD")
            #expect(deprecated.state == .deprecated && deprecated.deprecation?.replacement == "1.1.0")
            #expect(deprecated.deprecation?.deprecatedBy == Self.platformControl.principalId)
            #expect(tier.audit.recorded("apps.catalog.deprecate").last?.target == "catalog/web@1.0.0")

            do {
                _ = try await tier.service.launch(in: FastTier.project, LaunchRequest(app: "web", version: "1.0.0"),
                                                  by: FastTier.caller, requestID: nil)
                Issue.record("a deprecated version launched")
            } catch let error as PlatformError {
                #expect(error.code == .catalogVersionDeprecated)
                #expect(error.message.contains("CVE-2026-0001 in the base image") && error.message.contains("1.1.0"), "\(error.message)")
            }
            #expect(tier.audit.recorded("apps.instance.refuse").last?.details["code"] == "catalog.version_deprecated")

            let record = try await tier.launch("web")
            #expect(record.version == "1.1.0" && record.image.hasSuffix(newer.imageDigest))
            let listed = try await tier.catalog.platformEntries(app: "web")
            #expect(listed.map(\.state) == [.deprecated, .current])
        }
    }

    @Test("a project's own app of the catalog's name wins; other projects still get the catalog's", arguments: FastTier.Database.enabled)
    func projectAppWins(database: FastTier.Database) async throws {
        try await FastTier.with(database: database) { tier in
            let entry = try await Self.publish(tier)
            try await tier.register(TestManifests.app("web"))
            try await tier.pushArtifact()
            let own = try await tier.launch("web")
            #expect(own.image.hasPrefix("\(FastTier.project.id.lowercased())/demo@"), "\(own.image)")
            #expect(own.message?.contains("platform catalog") != true)
            #expect(tier.audit.recorded("apps.instance.launch").last?.details["catalog"] == nil)
            #expect(entry.repository != "\(FastTier.project.id.lowercased())/demo")
        }
    }

    @Test("publishing refuses an unregistered version and an image below the manifest's requiredTrust", arguments: FastTier.Database.enabled)
    func publishRefusals(database: FastTier.Database) async throws {
        try await FastTier.with(database: database) { tier in
            await #expect(throws: PlatformError.self) {
                _ = try await tier.service.publishToCatalog(from: FastTier.catalogProject, CatalogPublishRequest(app: "web", version: "1.0.0"),
                                                            by: Self.platformControl, requestID: nil)
            }
            try await tier.register(TestManifests.app("web", requiredTrust: "verified"), in: FastTier.catalogProject)
            try await tier.pushArtifact(in: FastTier.catalogProject)
            do {
                _ = try await tier.service.publishToCatalog(from: FastTier.catalogProject, CatalogPublishRequest(app: "web", version: "1.0.0"),
                                                            by: Self.platformControl, requestID: nil)
                Issue.record("an image below requiredTrust was published")
            } catch let error as PlatformError {
                #expect(error.code == .instanceArtifactUntrusted && error.message.contains("requires verified"), "\(error.message)")
            }
            #expect(try await tier.catalog.platformEntries().isEmpty)
            // An app in neither the project nor the catalog is still apps.not_found.
            await #expect(throws: PlatformError.self) { try await tier.launch("nothing") }
        }
    }
}
