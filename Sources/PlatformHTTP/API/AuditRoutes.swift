import Foundation
import HTTPTypes
import Hummingbird
import PlatformContracts

/// Handlers of the audit routes that monitors use: the newest signed checkpoint and the
/// RFC 6962 consistency proof between two tree sizes (what `appctl audit verify` demands
/// from the checkpoint it remembered, so a truncated or rewritten log cannot pass).
enum AuditHandlers {
    static func make(audit: any AuditReading, route: (HTTPRequest.Method, String) -> APIRoute) -> [APIRoute: SecuredRouter.Handler] {
        [
            route(.get, "/v1/audit/checkpoint"): { _, _, _ in
                guard let checkpoint = try await audit.latestCheckpoint() else {
                    throw PlatformError(.httpNotFound, "the audit log has no signed checkpoint yet")
                }
                return JSONResponse.make(checkpoint)
            },
            route(.get, "/v1/audit/consistency"): { request, _, _ in
                let query = request.uri.queryParameters
                let from = try treeSize(query["from"], name: "from")
                let to = try treeSize(query["to"], name: "to")
                return JSONResponse.make(try await audit.consistencyProof(from: from, to: to))
            },
        ]
    }

    /// A tree size: a positive decimal that fits in 63 bits, required.
    static func treeSize(_ value: Substring?, name: String) throws -> Int64 {
        guard let value else { throw PlatformError(.httpBadRequest, "the query parameter \(name) is required") }
        guard let size = Int64(String(value)), size >= 1 else {
            throw PlatformError(.httpBadRequest, "the query parameter \(name) must be a tree size from 1 to \(Int64.max)")
        }
        return size
    }
}
