import ArtifactRegistry
import PlatformContracts
import RuntimeKit

/// Launching a platform catalog app into a tenant's project: the image is the digest the
/// catalog pinned, in the catalog's source repository, and its trust is the source project's
/// ledger's (the tenant's project never signed or promoted it). Everything else (quotas,
/// policy, volumes, secrets, billing) is the launching project's, as for its own apps.
extension InstanceAdmission {
    /// The pinned image, if it is still in the registry and its trust (evaluated now in the
    /// source project) satisfies both the environment and the manifest's `requiredTrust`.
    func catalogImage(_ entry: CatalogEntry, _ manifest: LaunchManifest, requiring environmentTrust: TrustState,
                      environment: String) async throws -> LaunchSpec.Image {
        let required = ImageTrustCheck.required(environment: environmentTrust, manifest: manifest)
        let source = Project(id: entry.sourceProjectId, tenantId: entry.sourceTenantId, name: "platform-catalog", createdAt: entry.publishedAt)
        let (digest, _) = try await ImageTrustCheck(registry: registry, ledger: ledger).verify(
            entry.repository, entry.imageDigest, in: source, required: required,
            absent: "the catalog's pinned image \(entry.repository)@\(entry.imageDigest) is no longer in the registry",
            insufficient: { digest, state in
                "the catalog's \(entry.repository)@\(digest) is \(state.rawValue); \(environment) requires \(required.rawValue) or above"
            })
        return LaunchSpec.Image(repository: entry.repository, manifestDigest: digest)
    }

    /// What the launch's audit record says of a catalog launch.
    static func catalogDetails(_ entry: CatalogEntry) -> [String: String] {
        ["catalog": "\(entry.app)@\(entry.version)", "catalog_source_project": entry.sourceProjectId,
         "catalog_manifest_digest": entry.manifestDigest]
    }
}
