import Foundation
import ManifestKit
import PlatformContracts
import Yams

/// Reads the versioned registry files under `manifests/platform/`.
public struct RegistryFiles: Sendable {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "registry", kind: .sharedService, contract: "RegistryCatalog",
        summary: "the eight versioned registries and the GPU models, read from manifests/platform/ at start-up, checked together, served read-only.")

    /// The `manifests/platform` folder.
    public let directory: URL

    /// Uses a folder.
    public init(directory: URL) {
        self.directory = directory
    }

    /// The registry files in `folder`, which must hold `scopes.yaml`. Nothing is searched
    /// for: each program names the folder from its configuration (`--registry-dir`, else
    /// `manifests/platform` under `--resources`, by default the working directory), so a
    /// missing file is an error that says which setting to fix.
    /// - Parameter setting: The settings that name the folder, for the error message.
    /// - Throws: ``ErrorCode/configInvalid`` when `folder` has no `scopes.yaml`.
    public static func at(_ folder: URL, setting: String) throws(PlatformError) -> RegistryFiles {
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("scopes.yaml").path) else {
            throw PlatformError(.configInvalid, "no scopes.yaml in the registry folder \(folder.path); set \(setting)")
        }
        return RegistryFiles(directory: folder)
    }

    /// The scope registry, checked: every role names registered scopes only.
    public func scopes(text: String? = nil) throws(PlatformError) -> ScopeRegistry {
        let registry: ScopeRegistry = try typed("scopes.yaml", kind: "scope", text: text)
        for role in registry.roles {
            if let unknown = role.scopes.first(where: { scope in !registry.scopes.contains { $0.scopeId == scope } }) {
                throw PlatformError(.configInvalid, "scopes.yaml: role \(role.roleId) names unknown scope \(unknown)")
            }
        }
        return registry
    }

    /// The audit-action registry.
    public func auditActions(text: String? = nil) throws(PlatformError) -> AuditActionRegistry {
        try typed("audit-actions.yaml", kind: "audit-action", text: text)
    }

    /// The usage-unit registry.
    public func usageUnits(text: String? = nil) throws(PlatformError) -> UsageUnitRegistry {
        try typed("usage-units.yaml", kind: "usage-unit", text: text)
    }

    /// The artifact-type registry.
    public func artifactTypes(text: String? = nil) throws(PlatformError) -> ArtifactTypeRegistry {
        try typed("artifact-types.yaml", kind: "artifact-type", text: text)
    }

    /// The GPU model list.
    public func gpuModels(text: String? = nil) throws(PlatformError) -> GPUModelRegistry {
        try typed("gpu-models.yaml", kind: "gpu-model", text: text)
    }

    /// The app manifest JSON Schema (`manifests/schema/app-manifest.v1.schema.json`).
    public func manifestSchema() throws(PlatformError) -> Data {
        let url = directory.deletingLastPathComponent().appendingPathComponent("schema/app-manifest.v1.schema.json")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw PlatformError(.configInvalid, "cannot read the manifest schema at \(url.path)")
        }
        return data
    }

    /// Refuses a registry text that would cost more than ``DocumentLimits/standard`` to read
    /// (``ErrorCode/manifestsTooComplex``), before it is parsed.
    static func checkLimits(_ text: String, path: String) throws(PlatformError) {
        do {
            try DocumentLimits.standard.check(yaml: text)
        } catch {
            throw error.platformError(file: path)
        }
    }

    /// A registry file's text.
    func text(of name: String) throws(PlatformError) -> String {
        let url = directory.appendingPathComponent(name)
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw PlatformError(.configInvalid, "cannot read registry \(url.path): \(error)")
        }
    }

    /// Decodes a registry (from `text`, or the file when `nil`) and checks its kind.
    func typed<T: RegistryDocument>(_ name: String, kind: String, text: String?) throws(PlatformError) -> T {
        let source: String
        if let text { source = text } else { source = try self.text(of: name) }
        try Self.checkLimits(source, path: directory.appendingPathComponent(name).path)
        let registry: T
        do {
            registry = try YAMLDecoder().decode(T.self, from: source)
        } catch {
            throw PlatformError(.configInvalid, "cannot read registry \(directory.appendingPathComponent(name).path): \(error)")
        }
        guard registry.registry == kind else { throw PlatformError(.configInvalid, "\(name) is not a \(kind) registry") }
        return registry
    }
}

/// A registry file's decoded form: it names its kind.
protocol RegistryDocument: Decodable {
    var registry: String { get }
}

extension ScopeRegistry: RegistryDocument {}
extension AuditActionRegistry: RegistryDocument {}
extension UsageUnitRegistry: RegistryDocument {}
extension ArtifactTypeRegistry: RegistryDocument {}
extension GPUModelRegistry: RegistryDocument {}
