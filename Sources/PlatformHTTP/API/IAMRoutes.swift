import AppPlatform
import HTTPTypes
import Hummingbird
import NIOCore
import PlatformAPI
import PlatformContracts
import RuntimeKit

/// Handlers of the IAM endpoints (caller, tenants, projects, service accounts, API keys),
/// the registries and the node list.
extension V1Routes {
    /// Input without path, query or body.
    typealias Bare = EndpointInput<NoPath, NoQuery, NoBody>
    /// Input of a tenant's endpoints.
    typealias OfTenant<Body: Sendable> = EndpointInput<TenantPath, NoQuery, Body>
    /// Input of a project's endpoints.
    typealias OfProject<Body: Sendable> = EndpointInput<ProjectPath, NoQuery, Body>
    /// Input of an item below a project.
    typealias OfItem<Item: ProjectItem, Body: Sendable> = EndpointInput<ProjectItemPath<Item>, NoQuery, Body>

    func whoami(_ input: Bare, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<Caller> {
        .value(caller)
    }

    func listNodes(_ input: Bare, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<[NodeUsage]> {
        .value(await instances.nodes(visibleTo: caller, host: await inventory.snapshot()))
    }

    /// The registry's JSON as it is stored (already a document of the registry's own schema).
    func getRegistry(_ input: EndpointInput<RegistryKindPath, NoQuery, NoBody>, _ context: PlatformRequestContext,
                     _ caller: Caller) async throws -> Reply<JSONValue> {
        let kind = input.path.kind
        guard let document = registries(kind) else {
            throw PlatformError(.httpNotFound, "no registry \(kind); kinds: \(RegistryKind.allCases.map(\.rawValue).joined(separator: ", ")), gpu-model")
        }
        return .response(Self.jsonBytes(document))
    }

    func createTenant(_ input: EndpointInput<NoPath, NoQuery, NameRequest>, _ context: PlatformRequestContext,
                      _ caller: Caller) async throws -> Reply<Tenant> {
        .value(try await identity.createTenant(name: input.body.name, by: caller, requestID: context.requestID))
    }

    func listTenants(_ input: Bare, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<[Tenant]> {
        .value(try await identity.tenants(visibleTo: caller))
    }

    func createProject(_ input: OfTenant<NameRequest>, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<Project> {
        .value(try await identity.createProject(tenant: input.path.tenant, name: input.body.name, by: caller, requestID: context.requestID))
    }

    func listProjects(_ input: OfTenant<NoBody>, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<[Project]> {
        .value(try await identity.projects(tenant: input.path.tenant, visibleTo: caller))
    }

    /// A platform-wide service account (platform control, security owners): platform keys only.
    func createPlatformServiceAccount(_ input: EndpointInput<NoPath, NoQuery, ServiceAccountRequest>, _ context: PlatformRequestContext,
                                      _ caller: Caller) async throws -> Reply<ServiceAccount> {
        .value(try await identity.createPlatformServiceAccount(name: input.body.name, role: input.body.role, by: caller,
                                                               requestID: context.requestID))
    }

    func createTenantServiceAccount(_ input: OfTenant<ServiceAccountRequest>, _ context: PlatformRequestContext,
                                    _ caller: Caller) async throws -> Reply<ServiceAccount> {
        .value(try await identity.createTenantServiceAccount(
            tenant: input.path.tenant, name: input.body.name, role: input.body.role, by: caller, requestID: context.requestID))
    }

    func listTenantServiceAccounts(_ input: OfTenant<NoBody>, _ context: PlatformRequestContext,
                                   _ caller: Caller) async throws -> Reply<[ServiceAccount]> {
        .value(try await identity.tenantServiceAccounts(tenant: input.path.tenant, visibleTo: caller))
    }

    func deleteTenantServiceAccount(_ input: EndpointInput<TenantAccountPath, NoQuery, NoBody>, _ context: PlatformRequestContext,
                                    _ caller: Caller) async throws -> Reply<NoContent> {
        try await identity.deleteTenantServiceAccount(
            tenant: input.path.tenant, id: input.path.account, by: caller, requestID: context.requestID)
        return .value(NoContent())
    }

    func createServiceAccount(_ input: OfProject<ServiceAccountRequest>, _ context: PlatformRequestContext,
                              _ caller: Caller) async throws -> Reply<ServiceAccount> {
        .value(try await identity.createServiceAccount(
            project: input.path.project, name: input.body.name, role: input.body.role, by: caller, requestID: context.requestID))
    }

    func listServiceAccounts(_ input: OfProject<NoBody>, _ context: PlatformRequestContext,
                             _ caller: Caller) async throws -> Reply<[ServiceAccount]> {
        .value(try await identity.serviceAccounts(project: input.path.project, visibleTo: caller))
    }

    func deleteServiceAccount(_ input: OfItem<ProjectItems.Account, NoBody>, _ context: PlatformRequestContext,
                              _ caller: Caller) async throws -> Reply<NoContent> {
        try await identity.deleteServiceAccount(project: input.path.project, id: input.path.item, by: caller, requestID: context.requestID)
        return .value(NoContent())
    }

    func createKey(_ input: EndpointInput<NoPath, NoQuery, KeyRequest>, _ context: PlatformRequestContext,
                   _ caller: Caller) async throws -> Reply<IssuedKey> {
        .value(try await identity.createKey(input.body, by: caller, requestID: context.requestID))
    }

    func listKeys(_ input: Bare, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<[APIKeyInfo]> {
        .value(try await identity.keys(visibleTo: caller))
    }

    func rotateKey(_ input: EndpointInput<KeyPath, NoQuery, RotateKeyRequest>, _ context: PlatformRequestContext,
                   _ caller: Caller) async throws -> Reply<IssuedKey> {
        .value(try await identity.rotateKey(
            id: input.path.key, overlapSeconds: input.body.overlapSeconds ?? 3600, by: caller, requestID: context.requestID))
    }

    func revokeKey(_ input: EndpointInput<KeyPath, NoQuery, NoBody>, _ context: PlatformRequestContext,
                   _ caller: Caller) async throws -> Reply<APIKeyInfo> {
        .value(try await identity.revokeKey(id: input.path.key, by: caller, requestID: context.requestID))
    }

    /// A `200 application/json` response of bytes that are already a JSON document.
    static func jsonBytes(_ bytes: [UInt8]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
