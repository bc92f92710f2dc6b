import PlatformContracts

/// The unauthenticated operations endpoints beside `/v1`: what operators, orchestrators and
/// tools poll. They are served by `OperationsRoutes` (and the portal and AsyncAPI routes),
/// not bound from ``Endpoints``, and documented from this table; the raw value is the
/// `operationId`.
public enum OperationsEndpoint: String, Sendable, CaseIterable {
    case getLiveness, getReadiness, getVersion, getMetrics, getOpenAPIDocument, getAsyncAPIDocument, getPortal, getPublicStatus

    /// The path.
    public var path: String {
        switch self {
        case .getLiveness: "/livez"
        case .getReadiness: "/readyz"
        case .getVersion: "/version"
        case .getMetrics: "/metrics"
        case .getOpenAPIDocument: "/openapi.json"
        case .getAsyncAPIDocument: "/asyncapi.json"
        case .getPortal: "/portal/"
        case .getPublicStatus: "/status"
        }
    }

    /// One line for the document.
    public var summary: String {
        switch self {
        case .getLiveness: "Liveness (application/health+json): the process answers; no dependency is consulted."
        case .getReadiness: "Readiness: every registered check; 503 with the reasons when one fails."
        case .getVersion: "Build, schema and installation identity."
        case .getMetrics: "Prometheus text exposition."
        case .getOpenAPIDocument: "This document."
        case .getAsyncAPIDocument: "The AsyncAPI 3.0 document of the platform's asynchronous surfaces (instance events over SSE)."
        case .getPortal: "The developer portal as HTML (portal/ rendered at start-up); pages under /portal/."
        case .getPublicStatus: "The customer-safe status: components and conditions, incidents, maintenance (HTML when Accept prefers text/html or ?format=html)."
        }
    }

    /// The media type of the answer.
    public var mediaType: String {
        switch self {
        case .getLiveness, .getReadiness: HealthReport.mediaType
        case .getVersion, .getOpenAPIDocument, .getAsyncAPIDocument, .getPublicStatus: "application/json"
        case .getMetrics: "text/plain"
        case .getPortal: "text/html"
        }
    }

    /// The answer's `Codable` type, `nil` for text or a document described elsewhere.
    public var response: (any Decodable.Type)? {
        switch self {
        case .getLiveness, .getReadiness: HealthReport.self
        case .getVersion: VersionInfo.self
        case .getPublicStatus: PublicStatus.self
        case .getOpenAPIDocument, .getAsyncAPIDocument: JSONValue.self
        case .getMetrics, .getPortal: nil
        }
    }

    /// Whether the endpoint answers 503 with the same document when unhealthy.
    public var failsWithServiceUnavailable: Bool { self == .getReadiness }
}
