import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import AppPlatform
import ArtifactRegistry
import RuntimeKit
import PlatformContracts

/// Handlers of the IAM and audit routes of ``PlatformAPI``.
public enum V1Handlers {
    struct NameBody: Decodable { var name: String }
    struct ServiceAccountBody: Decodable { var name: String; var role: String }
    struct RotateBody: Decodable { var overlapSeconds: Int64? }

    /// Every handler, keyed by its route.
    public static func make(
        identity: any IdentityService, audit: any AuditReading, catalog: AppCatalog,
        keys: any SigningKeyDirectory, ledger: TrustLedger, inventory: GPUInventory, instances: InstanceService,
        connect: ConnectService, registries: @escaping @Sendable (String) -> [UInt8]?
    ) -> [APIRoute: SecuredRouter.Handler] {
        func route(_ method: HTTPRequest.Method, _ path: String) -> APIRoute {
            PlatformAPI.routes.first { $0.method == method && $0.path == path }!
        }
        let domain = CatalogHandlers.make(catalog: catalog, route: route)
            .merging(ArtifactHandlers.make(keys: keys, ledger: ledger, route: route)) { first, _ in first }
            .merging(InstanceHandlers.make(instances: instances, route: route)) { first, _ in first }
            .merging(ConnectHandlers.make(connect: connect, route: route)) { first, _ in first }
            .merging(AuditHandlers.make(audit: audit, route: route)) { first, _ in first }
        return domain.merging([
            route(.get, "/v1/whoami"): { _, _, caller in JSONResponse.make(caller) },
            route(.get, "/v1/nodes"): { _, _, caller in
                JSONResponse.make(await instances.nodes(await inventory.snapshot(), visibleTo: caller))
            },
            route(.get, "/v1/registries/:kind"): { _, context, _ in
                let kind = try context.parameters.require("kind")
                guard let document = registries(kind) else {
                    throw PlatformError(.httpNotFound, "no registry \(kind); kinds: \(RegistryKind.allCases.map(\.rawValue).joined(separator: ", ")), gpu-model")
                }
                var headers = HTTPFields()
                headers[.contentType] = "application/json"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: document)))
            },
            route(.post, "/v1/tenants"): { request, context, caller in
                let body = try await decode(NameBody.self, request)
                return JSONResponse.make(try await identity.createTenant(name: body.name, by: caller, requestID: context.requestID), status: .created)
            },
            route(.get, "/v1/tenants"): { _, _, caller in JSONResponse.make(try await identity.tenants(visibleTo: caller)) },
            route(.post, "/v1/tenants/:tenant/projects"): { request, context, caller in
                let body = try await decode(NameBody.self, request)
                let tenant = try context.parameters.require("tenant")
                return JSONResponse.make(
                    try await identity.createProject(tenant: tenant, name: body.name, by: caller, requestID: context.requestID),
                    status: .created)
            },
            route(.get, "/v1/tenants/:tenant/projects"): { _, context, caller in
                JSONResponse.make(try await identity.projects(tenant: try context.parameters.require("tenant"), visibleTo: caller))
            },
            route(.post, "/v1/tenants/:tenant/serviceaccounts"): { request, context, caller in
                let body = try await decode(ServiceAccountBody.self, request)
                return JSONResponse.make(
                    try await identity.createTenantServiceAccount(
                        tenant: try context.parameters.require("tenant"), name: body.name, role: body.role, by: caller,
                        requestID: context.requestID),
                    status: .created)
            },
            route(.get, "/v1/tenants/:tenant/serviceaccounts"): { _, context, caller in
                JSONResponse.make(try await identity.tenantServiceAccounts(tenant: try context.parameters.require("tenant"), visibleTo: caller))
            },
            route(.delete, "/v1/tenants/:tenant/serviceaccounts/:account"): { _, context, caller in
                try await identity.deleteTenantServiceAccount(
                    tenant: try context.parameters.require("tenant"), id: try context.parameters.require("account"), by: caller,
                    requestID: context.requestID)
                return Response(status: .noContent)
            },
            route(.post, "/v1/projects/:project/serviceaccounts"): { request, context, caller in
                let body = try await decode(ServiceAccountBody.self, request)
                return JSONResponse.make(
                    try await identity.createServiceAccount(
                        project: try context.parameters.require("project"), name: body.name, role: body.role, by: caller,
                        requestID: context.requestID),
                    status: .created)
            },
            route(.get, "/v1/projects/:project/serviceaccounts"): { _, context, caller in
                JSONResponse.make(try await identity.serviceAccounts(project: try context.parameters.require("project"), visibleTo: caller))
            },
            route(.delete, "/v1/projects/:project/serviceaccounts/:account"): { _, context, caller in
                try await identity.deleteServiceAccount(
                    project: try context.parameters.require("project"), id: try context.parameters.require("account"), by: caller,
                    requestID: context.requestID)
                return Response(status: .noContent)
            },
            route(.post, "/v1/keys"): { request, context, caller in
                let body = try await decode(KeyRequest.self, request)
                return JSONResponse.make(try await identity.createKey(body, by: caller, requestID: context.requestID), status: .created)
            },
            route(.get, "/v1/keys"): { _, _, caller in JSONResponse.make(try await identity.keys(visibleTo: caller)) },
            route(.post, "/v1/keys/:key/rotate"): { request, context, caller in
                let body = try await decode(RotateBody.self, request)
                return JSONResponse.make(
                    try await identity.rotateKey(
                        id: try context.parameters.require("key"), overlapSeconds: body.overlapSeconds ?? 3600, by: caller,
                        requestID: context.requestID),
                    status: .created)
            },
            route(.post, "/v1/keys/:key/revoke"): { _, context, caller in
                JSONResponse.make(try await identity.revokeKey(id: try context.parameters.require("key"), by: caller, requestID: context.requestID))
            },
            route(.get, "/v1/audit/records"): { request, _, caller in
                let query = request.uri.queryParameters
                let records = try await audit.records(
                    action: query["action"].map(String.init), since: query["since"].map(String.init),
                    afterSequence: try QueryNumber.optional(request, "after", in: 0...Int64.max),
                    limit: Int(try QueryNumber.value(request, "limit", in: 1...1000, default: 100)), visibleTo: caller)
                return JSONResponse.make(records)
            },
            route(.get, "/v1/audit/export"): { _, context, caller in
                var headers = HTTPFields()
                headers[.contentType] = "application/json"
                let bytes = try await audit.exportJSON(by: caller, requestID: context.requestID)
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            },
        ]) { first, _ in first }
    }

    /// The body as `T`, or `nil` when there is none.
    static func decodeIfPresent<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T? {
        var request = request
        let buffer = try await request.collectBody(upTo: 1 << 20)
        guard buffer.readableBytes > 0 else { return nil }
        return try decode(T.self, from: buffer)
    }

    /// The body as `T`; an empty body is not the expected JSON.
    static func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        var request = request
        return try decode(T.self, from: try await request.collectBody(upTo: 1 << 20))
    }

    /// Decodes a collected body: nesting refused with its place before decoding (Foundation
    /// stops at 512 levels, but only says "not valid JSON"), then the text policy on its fields.
    static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        do {
            try DocumentLimits.standard.check(json: buffer.readableBytesView)
        } catch {
            throw error.platformError(file: "request body")
        }
        let json = Data(buffer.readableBytesView)
        let body: T
        do {
            body = try JSONDecoder().decode(T.self, from: json)
        } catch {
            throw PlatformError(.httpBadRequest, "the request body is not the expected JSON: \(error)")
        }
        try RequestText.check(body, json: json)
        return body
    }
}
