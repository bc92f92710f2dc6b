import AppPlatform
import PlatformAPI
import PlatformContracts

/// Handlers of the platform-wide curated catalog: every tenant lists it; platform control
/// (`apps:catalog:publish`) publishes a project's registered version into it and deprecates.
extension V1Routes {
    func listCatalogApps(_ input: EndpointInput<NoPath, NoQuery, NoBody>, _ context: PlatformRequestContext,
                         _ caller: Caller) async throws -> Reply<[CatalogEntry]> {
        .value(try await catalog.platformEntries())
    }

    /// The router resolved the source project within the caller's reach before the body was read.
    func publishCatalogApp(_ input: OfProject<CatalogPublishRequest>, _ context: PlatformRequestContext,
                           _ caller: Caller) async throws -> Reply<CatalogEntry> {
        .value(try await instances.publishToCatalog(from: try context.requireProject(), input.body, by: caller, requestID: context.requestID))
    }

    func deprecateCatalogApp(_ input: EndpointInput<NoPath, NoQuery, CatalogDeprecationRequest>, _ context: PlatformRequestContext,
                             _ caller: Caller) async throws -> Reply<CatalogEntry> {
        .value(try await catalog.deprecateInPlatform(input.body, by: caller, requestID: context.requestID))
    }
}
