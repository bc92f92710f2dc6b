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

    /// Creates the context for one request.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.requestID = ""
        self.caller = nil
    }
}
