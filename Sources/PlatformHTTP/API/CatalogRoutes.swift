import AppPlatform
import Foundation
import Hummingbird
import ManifestKit
import PlatformAPI
import PlatformContracts

/// Handlers of the app catalog endpoints.
extension V1Routes {
    /// The body of a refused registration: the error plus every diagnostic.
    struct ManifestRefusal: Encodable {
        struct Payload: Encodable {
            var code: ErrorCode
            var message: String
            var requestId: String
            var diagnostics: [ManifestDiagnostic]
        }
        var error: Payload
    }

    /// Registers a version; a refused manifest answers its error with every diagnostic.
    func registerApp(_ input: OfProject<AppRegistration>, _ context: PlatformRequestContext,
                     _ caller: Caller) async throws -> Reply<AppVersion> {
        do {
            return .value(try await catalog.register(
                in: try context.requireProject(), file: input.body.file ?? "manifest.yaml", manifest: input.body.manifest,
                by: caller, requestID: context.requestID))
        } catch let rejection as ManifestRejection {
            return .response(Self.refusal(rejection, requestID: context.requestID))
        }
    }

    func listApps(_ input: OfProject<NoBody>, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<[AppVersion]> {
        .value(try await catalog.versions(in: try context.requireProject()))
    }

    func listAppVersions(_ input: OfItem<ProjectItems.App, NoBody>, _ context: PlatformRequestContext,
                         _ caller: Caller) async throws -> Reply<[AppVersion]> {
        .value(try await catalog.versions(in: try context.requireProject(), name: input.path.item))
    }

    static func refusal(_ rejection: ManifestRejection, requestID: String) -> Response {
        let errors = rejection.diagnostics.filter { $0.severity == .error }.count
        // A manifest refused before it was read has one diagnostic, and its own code.
        if let tooComplex = rejection.diagnostics.first(where: { $0.code == ErrorCode.manifestsTooComplex.rawValue }) {
            return JSONResponse.make(
                ManifestRefusal(error: .init(
                    code: .manifestsTooComplex, message: "\(tooComplex.line):\(tooComplex.column): \(tooComplex.message)",
                    requestId: requestID, diagnostics: rejection.diagnostics)),
                status: ErrorCode.manifestsTooComplex.responseStatus)
        }
        return JSONResponse.make(
            ManifestRefusal(error: .init(
                code: .manifestInvalid, message: "the manifest is invalid: \(errors) error\(errors == 1 ? "" : "s")",
                requestId: requestID, diagnostics: rejection.diagnostics)),
            status: ErrorCode.manifestInvalid.responseStatus)
    }
}
