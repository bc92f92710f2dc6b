import ArtifactRegistry
import Foundation
import HTTPTypes
import Hummingbird
import PlatformContracts

/// Handlers of the signing-key and artifact-trust routes.
enum ArtifactHandlers {
    struct PromotionBody: Decodable { var to: String }

    static func make(keys: any SigningKeyDirectory, ledger: TrustLedger,
                     route: (HTTPRequest.Method, String) -> APIRoute) -> [APIRoute: SecuredRouter.Handler] {
        [
            route(.post, "/v1/projects/:project/signingkeys"): { request, context, caller in
                let body = try await V1Handlers.decode(SigningKeyRequest.self, request)
                return JSONResponse.make(
                    try await keys.register(in: try context.requireProject(), body, by: caller, requestID: context.requestID),
                    status: .created)
            },
            route(.get, "/v1/projects/:project/signingkeys"): { _, context, _ in
                JSONResponse.make(try await keys.keys(in: try context.requireProject()))
            },
            route(.post, "/v1/projects/:project/signingkeys/:key/rotate"): { request, context, caller in
                let body = try await V1Handlers.decode(SigningKeyRequest.self, request)
                return JSONResponse.make(
                    try await keys.rotate(in: try context.requireProject(), id: try context.parameters.require("key"),
                                          to: body, by: caller, requestID: context.requestID),
                    status: .created)
            },
            route(.post, "/v1/projects/:project/signingkeys/:key/revoke"): { _, context, caller in
                JSONResponse.make(try await keys.revoke(
                    in: try context.requireProject(), id: try context.parameters.require("key"), by: caller,
                    requestID: context.requestID))
            },
            route(.get, "/v1/projects/:project/artifacts"): { _, context, _ in
                JSONResponse.make(try await ledger.artifacts(in: try context.requireProject()))
            },
            route(.get, "/v1/projects/:project/artifacts/:digest"): { _, context, _ in
                JSONResponse.make(try await ledger.status(in: try context.requireProject(), digest: try digest(context)))
            },
            route(.post, "/v1/projects/:project/artifacts/:digest/promote"): { request, context, caller in
                let body = try await V1Handlers.decode(PromotionBody.self, request)
                guard let target = TrustState(rawValue: body.to) else {
                    throw PlatformError(.httpBadRequest, "unknown trust state \(body.to); states: \(TrustState.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return JSONResponse.make(try await ledger.promote(
                    in: try context.requireProject(), digest: try digest(context), to: target, by: caller,
                    requestID: context.requestID))
            },
        ]
    }

    static func digest(_ context: PlatformRequestContext) throws -> ContentDigest {
        let text = try context.parameters.require("digest")
        return try ContentDigest(parsing: text.removingPercentEncoding ?? text)
    }
}
