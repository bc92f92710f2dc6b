import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PlatformAPI
import PlatformContracts

/// `/livez`, `/readyz`, `/metrics` and `/version`: what operators and orchestrators poll;
/// `/status`, the customer-safe status page, when the server has a status board.
public struct OperationsRoutes: Sendable {
    /// The OpenAPI and AsyncAPI documents, derived once per process: they depend only on the
    /// build, and deriving them (reflection over every endpoint's types) costs seconds of CPU
    /// in a debug build, which every server start used to pay again.
    static let openAPI: Data = OpenAPIDocument.json()
    static let asyncAPI: Data = AsyncAPIDocument.json()

    private let health: any HealthReporting
    private let metrics: PlatformMetrics
    private let version: @Sendable () async -> VersionInfo
    /// The public status (open decision 3: no checks, versions or authors), served at
    /// `/status` without authentication; `nil`: no `/status` route.
    private let publicStatus: (@Sendable () async throws -> PublicStatus)?

    /// Creates the routes.
    /// - Parameters:
    ///   - health: Produces liveness and readiness documents.
    ///   - metrics: The registry `/metrics` renders.
    ///   - version: Produces the `/version` document.
    ///   - publicStatus: The customer-safe status for `/status` (cached by its producer, so a read costs microseconds).
    public init(health: any HealthReporting, metrics: PlatformMetrics, version: @escaping @Sendable () async -> VersionInfo,
                publicStatus: (@Sendable () async throws -> PublicStatus)? = nil) {
        self.health = health
        self.metrics = metrics
        self.version = version
        self.publicStatus = publicStatus
    }

    /// Adds the routes to a router.
    public func register(on router: Router<PlatformRequestContext>) {
        router.get("livez") { _, _ in
            Self.healthResponse(await health.liveness())
        }
        router.get("readyz") { _, _ in
            Self.healthResponse(await health.readiness())
        }
        router.get("metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: metrics.render())))
        }
        router.get("version") { _, _ in
            JSONResponse.make(await version())
        }
        if let publicStatus {
            // Unauthenticated: JSON, or the small HTML page for a browser or `?format=html`.
            router.get("status") { request, _ in
                let status = try await publicStatus()
                let html = PublicStatusPage.wantsHTML(format: request.uri.queryParameters["format"].map(String.init),
                                                      accept: request.headers[.accept])
                var response = html
                    ? Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                               body: .init(byteBuffer: ByteBuffer(string: PublicStatusPage.html(status))))
                    : JSONResponse.make(status)
                response.headers[.cacheControl] = "public, max-age=5"
                response.headers[.vary] = "Accept"
                return response
            }
        }
        // The OpenAPI 3.1 document, derived from PlatformAPI's typed endpoints and their Codable types.
        let openAPI = Self.openAPI
        router.get("openapi.json") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: openAPI)))
        }
        // The AsyncAPI 3.0 document of the event streams, public like /openapi.json.
        let asyncAPI = Self.asyncAPI
        router.get("asyncapi.json") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: asyncAPI)))
        }
    }

    /// `application/health+json`, 503 when the status is `fail`.
    static func healthResponse(_ report: HealthReport) -> Response {
        var response = JSONResponse.make(
            report, status: report.status == .fail ? .serviceUnavailable : .ok, contentType: HealthReport.mediaType)
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
