import PlatformContracts

/// The platform catalog's publishing, which needs the registry and trust ledger admission holds.
extension InstanceService {
    /// Publishes a version registered in `project` into the platform catalog
    /// (``AppCatalog/publishToPlatform(from:_:registry:ledger:by:requestID:)``).
    public func publishToCatalog(from project: Project, _ request: CatalogPublishRequest, by caller: Caller,
                                 requestID: String?) async throws -> CatalogEntry {
        try await admission.catalog.publishToPlatform(from: project, request, registry: admission.registry, ledger: admission.ledger,
                                                      by: caller, requestID: requestID)
    }
}
