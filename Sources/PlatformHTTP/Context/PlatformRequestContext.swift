import Hummingbird
import Logging
import NIOCore
import PlatformContracts

/// The request context every route of `platformd` sees. Typed fields, not a dictionary:
/// later middleware adds the authenticated principal here.
public struct PlatformRequestContext: RequestContext {
    /// Hummingbird's storage (logger, parameters, endpoint path).
    public var coreContext: CoreRequestContextStorage
    /// The correlation id echoed in `X-Request-ID` and in error bodies.
    public var requestID: String
    /// The authenticated caller, set by ``AuthenticationMiddleware`` on `/v1` routes.
    public var caller: Caller?
    /// The project a `/v1/projects/:project/…` route names, resolved once for the caller by
    /// ``SecuredRouter`` before the handler runs (``ErrorCode/iamNotFound`` when out of reach).
    public var project: Project?
    /// What the caller may do in this request, decided once by ``SecuredRouter`` (one IAM
    /// read) before the handler runs; further scopes the request needs are decided from it.
    public var grants: Grants?
    /// The console session a `/console/` request was signed in with (``ConsoleRoutes``).
    public var consoleSession: WebSession?
    /// Whether the client's connection is still active. A long-lived answer (a Server-Sent
    /// Events stream) asks it between writes, so it stops as soon as the connection is closed
    /// or reset; a client that only closed its side (the server allows half-closure) is seen
    /// at the next write.
    public let connectionIsOpen: @Sendable () -> Bool

    /// Creates the context for one request.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.requestID = ""
        self.caller = nil
        self.project = nil
        self.grants = nil
        self.consoleSession = nil
        let channel = source.channel
        self.connectionIsOpen = { channel.isActive }
    }

    /// The project resolved for this request.
    /// - Throws: ``ErrorCode/internalError`` on a route without a `:project` parameter (a wiring mistake).
    public func requireProject() throws(PlatformError) -> Project {
        guard let project else { throw PlatformError(.internalError, "this route does not name a project") }
        return project
    }

    /// The caller's grants for this request.
    /// - Throws: ``ErrorCode/internalError`` outside ``SecuredRouter`` (a wiring mistake).
    public func requireGrants() throws(PlatformError) -> Grants {
        guard let grants else { throw PlatformError(.internalError, "this route was not authorized by the secured router") }
        return grants
    }
}

extension PlatformRequestContext {
    /// Path parameters that name a tenant, project, account, instance, session, webhook
    /// endpoint or outbox event: by id (a ULID) or, for the first three, by name.
    static let identifierParameters: [Substring] = ["tenant", "project", "account", "instance", "session", "webhook", "event"]

    /// Rewrites every ULID-shaped identifier parameter to its canonical uppercase form, so
    /// that every handler and service below sees one spelling of an id. (A lowercase id used
    /// to find a session but not end it: revoke answered 200 and the session lived on.)
    /// Names never look like ULIDs: IAM refuses such names.
    mutating func canonicaliseIdentifierParameters() {
        for name in Self.identifierParameters {
            guard let value = coreContext.parameters[name], let id = ULID.canonical(value), id.description != value else { continue }
            coreContext.parameters[name] = Substring(id.description)
        }
    }
}
