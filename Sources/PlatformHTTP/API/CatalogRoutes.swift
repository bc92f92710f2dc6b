import AppPlatform
import Foundation
import HTTPTypes
import Hummingbird
import ManifestKit
import PlatformContracts

/// Handlers of the app catalog routes.
enum CatalogHandlers {
    struct RegisterBody: Decodable {
        var file: String?
        var manifest: String
    }

    /// The body of a refused registration: the error plus every diagnostic.
    struct Rejection: Encodable {
        struct Payload: Encodable {
            var code: ErrorCode
            var message: String
            var requestId: String
            var diagnostics: [ManifestDiagnostic]
        }
        var error: Payload
    }

    static func make(catalog: AppCatalog, route: (HTTPRequest.Method, String) -> APIRoute) -> [APIRoute: SecuredRouter.Handler] {
        [
            route(.post, "/v1/projects/:project/apps"): { request, context, caller in
                let body = try await V1Handlers.decode(RegisterBody.self, request)
                do {
                    let version = try await catalog.register(
                        in: try context.requireProject(), file: body.file ?? "manifest.yaml", manifest: body.manifest,
                        by: caller, requestID: context.requestID)
                    return JSONResponse.make(version, status: .created)
                } catch let rejection as ManifestRejection {
                    let errors = rejection.diagnostics.filter { $0.severity == .error }.count
                    // A manifest refused before it was read has one diagnostic, and its own code.
                    if let tooComplex = rejection.diagnostics.first(where: { $0.code == ErrorCode.manifestsTooComplex.rawValue }) {
                        return JSONResponse.make(
                            Rejection(error: .init(
                                code: .manifestsTooComplex, message: "\(tooComplex.line):\(tooComplex.column): \(tooComplex.message)",
                                requestId: context.requestID, diagnostics: rejection.diagnostics)),
                            status: ErrorCode.manifestsTooComplex.responseStatus)
                    }
                    return JSONResponse.make(
                        Rejection(error: .init(
                            code: .manifestInvalid, message: "the manifest is invalid: \(errors) error\(errors == 1 ? "" : "s")",
                            requestId: context.requestID, diagnostics: rejection.diagnostics)),
                        status: ErrorCode.manifestInvalid.responseStatus)
                }
            },
            route(.get, "/v1/projects/:project/apps"): { _, context, _ in
                JSONResponse.make(try await catalog.versions(in: try context.requireProject()))
            },
            route(.get, "/v1/projects/:project/apps/:app"): { _, context, _ in
                JSONResponse.make(try await catalog.versions(in: try context.requireProject(), name: try context.parameters.require("app")))
            },
        ]
    }
}
