import PlatformAPI

/// The shorter forms: an endpoint without path parameters, query or body leaves that argument out.
extension PlatformClient {
    /// An endpoint without path parameters, query or body (`Endpoints.whoami`).
    public func send<R>(_ endpoint: Endpoint<NoPath, NoQuery, NoBody, R>) async throws -> R {
        try await send(endpoint, path: NoPath(), query: NoQuery(), body: NoBody())
    }

    /// An endpoint with a body only (`Endpoints.createTenant`).
    public func send<B, R>(_ endpoint: Endpoint<NoPath, NoQuery, B, R>, body: B) async throws -> R {
        try await send(endpoint, path: NoPath(), query: NoQuery(), body: body)
    }

    /// An endpoint with a query only (`Endpoints.listAuditRecords`).
    public func send<Q, R>(_ endpoint: Endpoint<NoPath, Q, NoBody, R>, query: Q) async throws -> R {
        try await send(endpoint, path: NoPath(), query: query, body: NoBody())
    }

    /// An endpoint with path parameters only (`Endpoints.getInstance`).
    public func send<P, R>(_ endpoint: Endpoint<P, NoQuery, NoBody, R>, path: P) async throws -> R {
        try await send(endpoint, path: path, query: NoQuery(), body: NoBody())
    }

    /// An endpoint with path parameters and a body (`Endpoints.launchInstance`).
    public func send<P, B, R>(_ endpoint: Endpoint<P, NoQuery, B, R>, path: P, body: B) async throws -> R {
        try await send(endpoint, path: path, query: NoQuery(), body: body)
    }

    /// An endpoint with path parameters and a query (`Endpoints.listInstanceEvents`).
    public func send<P, Q, R>(_ endpoint: Endpoint<P, Q, NoBody, R>, path: P, query: Q) async throws -> R {
        try await send(endpoint, path: path, query: query, body: NoBody())
    }

    /// The exact bytes of an endpoint without path parameters, query or body (`Endpoints.exportAudit`).
    public func sendRaw<R>(_ endpoint: Endpoint<NoPath, NoQuery, NoBody, R>) async throws -> PlatformResponse {
        try await sendRaw(endpoint, path: NoPath(), query: NoQuery(), body: NoBody())
    }

    /// The exact bytes of an endpoint with path parameters and a body; `acceptedStatuses` are returned, not thrown.
    public func sendRaw<P, B, R>(
        _ endpoint: Endpoint<P, NoQuery, B, R>, path: P, body: B, acceptedStatuses: Set<Int> = []
    ) async throws -> PlatformResponse {
        try await sendRaw(endpoint, path: path, query: NoQuery(), body: body, acceptedStatuses: acceptedStatuses)
    }
}
