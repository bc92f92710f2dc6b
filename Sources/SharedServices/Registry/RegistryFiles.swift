import Foundation
import PlatformContracts
import Yams

/// Reads the versioned registry files under `manifests/platform/`.
public struct RegistryFiles: Sendable {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "registry", kind: .sharedService, contract: "RegistryCatalog",
        summary: "the eight versioned registries seeded from manifests/platform/.")

    /// The `manifests/platform` folder.
    public let directory: URL

    /// Uses a folder.
    public init(directory: URL) {
        self.directory = directory
    }

    /// Finds `manifests/platform` by walking up from each start folder (the working
    /// directory, then the executable's folder, which inside a build tree leads back to
    /// the checkout).
    public static func locate(explicit: String?, startingAt starts: [URL]) throws(PlatformError) -> RegistryFiles {
        if let explicit {
            let url = URL(fileURLWithPath: explicit)
            guard FileManager.default.fileExists(atPath: url.appendingPathComponent("scopes.yaml").path) else {
                throw PlatformError(.configInvalid, "no scopes.yaml in the registry folder \(explicit)")
            }
            return RegistryFiles(directory: url)
        }
        for start in starts {
            var folder = start.standardizedFileURL
            while true {
                let candidate = folder.appendingPathComponent("manifests/platform")
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("scopes.yaml").path) {
                    return RegistryFiles(directory: candidate)
                }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        throw PlatformError(
            .configInvalid,
            "cannot find manifests/platform/scopes.yaml; run from the checkout or pass --registry-dir (PLATFORMD_REGISTRY_DIR)")
    }

    /// The scope registry, checked: every role names registered scopes only.
    public func scopes() throws(PlatformError) -> ScopeRegistry {
        let registry: ScopeRegistry = try load("scopes.yaml")
        guard registry.registry == "scope" else { throw PlatformError(.configInvalid, "scopes.yaml is not a scope registry") }
        for role in registry.roles {
            if let unknown = role.scopes.first(where: { scope in !registry.scopes.contains { $0.scopeId == scope } }) {
                throw PlatformError(.configInvalid, "scopes.yaml: role \(role.roleId) names unknown scope \(unknown)")
            }
        }
        return registry
    }

    /// The audit-action registry.
    public func auditActions() throws(PlatformError) -> AuditActionRegistry {
        let registry: AuditActionRegistry = try load("audit-actions.yaml")
        guard registry.registry == "audit-action" else {
            throw PlatformError(.configInvalid, "audit-actions.yaml is not an audit-action registry")
        }
        return registry
    }

    /// The usage-unit registry.
    public func usageUnits() throws(PlatformError) -> UsageUnitRegistry {
        let registry: UsageUnitRegistry = try load("usage-units.yaml")
        guard registry.registry == "usage-unit" else { throw PlatformError(.configInvalid, "usage-units.yaml is not a usage-unit registry") }
        return registry
    }

    /// The artifact-type registry.
    public func artifactTypes() throws(PlatformError) -> ArtifactTypeRegistry {
        let registry: ArtifactTypeRegistry = try load("artifact-types.yaml")
        guard registry.registry == "artifact-type" else { throw PlatformError(.configInvalid, "artifact-types.yaml is not an artifact-type registry") }
        return registry
    }

    /// The GPU model list.
    public func gpuModels() throws(PlatformError) -> GPUModelRegistry {
        let registry: GPUModelRegistry = try load("gpu-models.yaml")
        guard registry.registry == "gpu-model" else { throw PlatformError(.configInvalid, "gpu-models.yaml is not a GPU model list") }
        return registry
    }

    /// The app manifest JSON Schema (`manifests/schema/app-manifest.v1.schema.json`).
    public func manifestSchema() throws(PlatformError) -> Data {
        let url = directory.deletingLastPathComponent().appendingPathComponent("schema/app-manifest.v1.schema.json")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw PlatformError(.configInvalid, "cannot read the manifest schema at \(url.path)")
        }
        return data
    }

    private func load<T: Decodable>(_ name: String) throws(PlatformError) -> T {
        let url = directory.appendingPathComponent(name)
        do {
            return try YAMLDecoder().decode(T.self, from: String(contentsOf: url, encoding: .utf8))
        } catch {
            throw PlatformError(.configInvalid, "cannot read registry \(url.path): \(error)")
        }
    }
}
