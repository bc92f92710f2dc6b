import ManifestKit
import ArtifactRegistry
import PlatformContracts
import RuntimeKit

extension InstanceAdmission {
    /// The GPU request: the manifest's, or `--gpus MODEL:N` / `N` within what it allows, held
    /// as `resources.gpu.sharing` says (exclusive when absent; `mig` with its `migProfile`:
    /// N then counts MIG slices of that profile).
    static func gpuRequest(_ manifest: LaunchManifest, override: String?) throws(PlatformError) -> GPURequest {
        let declared = manifest.resources?.gpu
        var model = declared?.models?.first
        var count = declared?.count ?? 0
        if let override {
            let parts = override.split(separator: ":").map(String.init)
            guard (1...2).contains(parts.count), let number = Int(parts.last ?? ""), number >= 0, number <= 64 else {
                throw PlatformError(.instanceLaunchInvalid, "--gpus takes MODEL:N or N (0…64), not \(override)")
            }
            if parts.count == 2 {
                if let allowed = declared?.models, !allowed.isEmpty, !allowed.contains(parts[0]) {
                    throw PlatformError(.instanceLaunchInvalid, "\(manifest.metadata.name) runs on \(allowed.joined(separator: ", ")), not \(parts[0])")
                }
                model = parts[0]
            }
            count = number
        }
        let sharing = declared?.sharing.flatMap(GPUSharing.init(rawValue:)) ?? .exclusive
        if sharing == .mig, declared?.migProfile == nil {
            throw PlatformError(.instanceLaunchInvalid, "\(manifest.metadata.name) asks for MIG sharing without a migProfile")
        }
        return GPURequest(model: model, count: count, minMemoryMiB: declared?.minMemoryMiB ?? 0, sharing: sharing,
                          migProfile: sharing == .mig ? declared?.migProfile : nil)
    }

    /// The parameter values: given ones checked against their declared types, defaults filled in.
    static func parameterValues(_ manifest: LaunchManifest, _ given: [String: String]) throws(PlatformError) -> [String: String] {
        let declared = manifest.params ?? []
        if let unknown = given.keys.sorted().first(where: { name in !declared.contains { $0.name == name } }) {
            throw PlatformError(.instanceLaunchInvalid, "\(manifest.metadata.name) has no parameter \(unknown) (it has \(declared.map(\.name).joined(separator: ", ")))",
                                details: ["param": unknown])
        }
        var values: [String: String] = [:]
        for param in declared {
            guard let value = given[param.name] ?? param.default?.text else {
                if param.required == true { throw PlatformError(.instanceLaunchInvalid, "parameter \(param.name) is required", details: ["param": param.name]) }
                continue
            }
            switch param.type ?? "string" {
            case "integer" where Int(value) == nil, "number" where Double(value) == nil, "boolean" where !["true", "false"].contains(value):
                throw PlatformError(.instanceLaunchInvalid, "parameter \(param.name) must be \(param.type ?? "string"), not \"\(value)\"",
                                    details: ["param": param.name])
            default:
                if let allowed = param.enum, !allowed.contains(where: { $0.text == value }) {
                    throw PlatformError(.instanceLaunchInvalid,
                                        "parameter \(param.name) must be one of \(allowed.map(\.text).joined(separator: ", ")), not \"\(value)\"",
                                        details: ["param": param.name])
                }
                values[param.name] = value
            }
        }
        return values
    }

    /// The manifest's artifact in the project's registry, pinned by digest, at or above the
    /// trust state the environment requires; unknown state refuses (fail closed).
    func pinnedImage(_ manifest: LaunchManifest, project: Project, requiring environmentTrust: TrustState,
                     environment: String) async throws -> LaunchSpec.Image {
        let (repository, tag) = ImageTrustCheck.repository(for: manifest.artifact.reference, in: project)
        let required = ImageTrustCheck.required(environment: environmentTrust, manifest: manifest)
        let (digest, _) = try await ImageTrustCheck(registry: registry, ledger: ledger).verify(
            repository, tag, in: project, required: required,
            absent: "\(repository):\(tag) is not in the registry; push and promote it first",
            insufficient: { digest, state in
                "\(repository)@\(digest) is \(state.rawValue); \(environment) requires \(required.rawValue) or above"
            })
        return LaunchSpec.Image(repository: repository, manifestDigest: digest)
    }

    /// `path:tag`, `path@digest` or `path` (tag `latest`).
    static func split(reference: String) -> (path: String, tag: String) {
        if let at = reference.firstIndex(of: "@") { return (String(reference[..<at]), String(reference[reference.index(after: at)...])) }
        if let colon = reference.lastIndex(of: ":"), !reference[colon...].contains("/") {
            return (String(reference[..<colon]), String(reference[reference.index(after: colon)...]))
        }
        return (reference, "latest")
    }
}
