import ManifestKit
import PlatformContracts

extension RegistryFiles {
    /// The manifest validator over this checkout's schema and registries: the one the
    /// server, `appctl manifest validate` and the benchmarks all use.
    /// - Throws: ``ErrorCode/configInvalid`` when the schema or a registry cannot be read.
    public func manifestValidator() throws(PlatformError) -> ManifestValidator {
        try manifestValidator(
            context: ManifestContext(
                scopes: try scopes(), usageUnits: try usageUnits(), artifactTypes: try artifactTypes(), gpuModels: try gpuModels()))
    }

    /// The manifest validator over already loaded registries (the server's start-up path).
    public func manifestValidator(_ set: RegistrySet) throws(PlatformError) -> ManifestValidator {
        try manifestValidator(
            context: ManifestContext(
                scopes: set.scopes, usageUnits: set.usageUnits, artifactTypes: set.artifactTypes, gpuModels: set.gpuModels))
    }

    private func manifestValidator(context: ManifestContext) throws(PlatformError) -> ManifestValidator {
        let schema: JSONSchema
        do {
            schema = try JSONSchema(data: try manifestSchema())
        } catch let error as PlatformError {
            throw error
        } catch {
            throw PlatformError(.configInvalid, "the manifest schema is not usable: \(error)")
        }
        return ManifestValidator(schema: schema, context: context)
    }
}
