import AppPlatform
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import PlatformContracts
import RuntimeKit

/// `appctl instance exec -it ID -- CMD…`: an interactive command under a pseudo-terminal,
/// carried by a WebSocket at `GET /v1/projects/{project}/instances/{instance}/exec/terminal`
/// with `command` repeated once per argv word and the window as `rows` and `columns`.
///
/// It is not one of the typed `/v1` operations (a WebSocket has no JSON body or answer), so
/// it checks what the secured router checks, itself: the upgrade needs a valid API key
/// (`Authorization: Bearer`, never a cookie, so a browser page cannot open one across
/// origins) and an allowed `Origin`; once upgraded, `apps:instance:exec` (a denial is
/// audited `iam.access.denied`), the project within the caller's reach (else
/// `iam.not_found`), then the service's phase and adapter checks. Refusals after the
/// upgrade arrive as one text frame `{"error":{"code":…,"message":…}}` and a close, so the
/// client gets the same stable codes as the typed route.
///
/// Frames: binary frames are terminal bytes, both ways; the client's text frame
/// `{"resize":{"rows":R,"columns":C}}` resizes; the server's last text frame is
/// `{"exit":N}`, the command's exit status. A client that closes hangs the terminal up.
public struct InstanceExecTerminal: Sendable {
    /// The route, as the router spells it.
    public static let path = "/v1/projects/:project/instances/:instance/exec/terminal"
    /// The scope the typed exec route needs too.
    static let scope = "apps:instance:exec"

    let identity: any Authorizer
    let audit: any AuditRecorder
    let instances: InstanceService
    let origins: OriginPolicy
    let logger: Logger

    /// Creates the route over the services the typed routes use.
    public init(identity: any Authorizer, audit: any AuditRecorder, instances: InstanceService, origins: OriginPolicy, logger: Logger) {
        self.identity = identity
        self.audit = audit
        self.instances = instances
        self.origins = origins
        self.logger = logger
    }

    /// Adds the route to the server's WebSocket router.
    public func register(on router: Router<ConnectWebSocketContext>) {
        let route = self
        router.ws(RouterPath(Self.path)) { request, _ in
            guard route.origins.allows(request.headers[values: .origin]),
                  let key = AuthenticationMiddleware.presentedKey(request.headers[.authorization]),
                  (try? await route.identity.authenticate(keyText: key)) != nil else { return .dontUpgrade }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let request = context.request
            let requestID = RequestIDMiddleware.requestID(for: request)
            do {
                let parameters = context.requestContext.parameters
                let session = try await route.open(request, project: try parameters.require("project"),
                                                   instance: try parameters.require("instance"), requestID: requestID)
                let status = await Self.pump(session.terminal, inbound: inbound, outbound: outbound)
                await session.finish(status: status)
                try await outbound.write(.text(#"{"exit":\#(status)}"#))
            } catch {
                let failure = error as? PlatformError ?? PlatformError(.internalError, "the terminal failed")
                if failure.code == .internalError { route.logger.error("exec terminal failed", metadata: ["error": "\(error)"]) }
                try? await outbound.write(.text(Self.errorFrame(failure)))
            }
            try? await outbound.close(.normalClosure, reason: nil)
        }
    }

    /// Authorizes the caller, resolves the project and opens the terminal.
    func open(_ request: Request, project reference: String, instance: String, requestID: String) async throws -> InstanceTerminalSession {
        guard let key = AuthenticationMiddleware.presentedKey(request.headers[.authorization]) else {
            throw PlatformError(.iamUnauthenticated, "this route needs an API key: Authorization: Bearer <key>")
        }
        let caller = try await identity.authenticate(keyText: key)
        if case .deny(let reason) = try await identity.authorize(caller).decision(for: Self.scope) {
            try? await audit.record(AuditEvent(
                actor: PrincipalID(caller.principalId), action: "iam.access.denied", target: "GET \(Self.path)", outcome: .denied,
                requestID: requestID, details: ["scope": Self.scope, "reason": reason], tenant: caller.tenantId, project: caller.projectId))
            throw PlatformError(.iamForbidden, "\(reason); GET \(Self.path) needs \(Self.scope)")
        }
        let decode = { (text: String) in text.removingPercentEncoding ?? text }
        let project = try await identity.project(decode(reference), visibleTo: caller)
        let query = request.uri.queryParameters
        let command = query.getAll("command").map { decode(String($0)) }
        let size = TerminalSize(rows: UInt16(query.get("rows") ?? "") ?? 24, columns: UInt16(query.get("columns") ?? "") ?? 80)
        return try await instances.openTerminal(in: project, id: decode(instance), command: command, size: size, by: caller,
                                                requestID: requestID)
    }

    /// Copies the terminal's output to the socket and the socket's input to the terminal
    /// until the command has exited and its output is drained; answers its exit status.
    static func pump(_ terminal: RuntimeTerminal, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async -> Int32 {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                while let bytes = await terminal.read() {
                    do { try await outbound.write(.binary(ByteBuffer(bytes: bytes))) } catch { break }
                }
                return true
            }
            group.addTask {
                do {
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        switch message {
                        case .binary(let buffer): try await terminal.write(Array(buffer: buffer))
                        case .text(let text): if let size = resize(text) { terminal.resize(size) }
                        }
                    }
                } catch {}
                // The client went away (or the command ended and the session is being torn down): hang up.
                await terminal.close()
                return false
            }
            // The output side ends when the command's terminal is gone; then stop reading the client.
            while let outputEnded = await group.next() {
                if outputEnded { group.cancelAll() }
            }
        }
        return await terminal.close()
    }

    /// The size of a `{"resize":{"rows":R,"columns":C}}` frame.
    static func resize(_ text: String) -> TerminalSize? {
        struct Frame: Decodable { struct Size: Decodable { var rows: UInt16; var columns: UInt16 }; var resize: Size }
        guard let frame = try? JSONDecoder().decode(Frame.self, from: Data(text.utf8)) else { return nil }
        return TerminalSize(rows: frame.resize.rows, columns: frame.resize.columns)
    }

    static func errorFrame(_ error: PlatformError) -> String {
        let body = ["error": ["code": error.code.rawValue, "message": error.message]]
        return (try? String(decoding: JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]), as: UTF8.self)) ?? "{}"
    }
}
