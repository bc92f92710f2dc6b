import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import PlatformAPI
import PlatformClient
import PlatformContracts

/// The instance page's actions: stop, Connect (web) and the live phase stream.
enum ConsoleInstanceActions {
    /// Stops the instance and returns to its page, which shows `stopping` and follows it.
    static func stop(_ page: ConsoleRequest, project: String, id: String) async throws -> Response {
        let record = try await page.api.send(Endpoints.stopInstance, path: .init(project: project, id))
        return page.redirect(to: ConsoleEndUser.instancePath(project, id), notice: "Stopping \(record.app) \(record.id): \(record.phase.name).")
    }

    /// Opens a connect session for a web action and sends the browser to its one-time launch
    /// URL: the connect proxy (`/connect/…/launch`) sets the app's cookie and redirects under
    /// `/i/INSTANCE/ACTION/`. A non-web action's session is revoked again (its credential
    /// belongs in `appctl`, which the instance page names) and the refusal says so.
    static func connect(_ page: ConsoleRequest, project: String, id: String, action: String) async throws -> Response {
        let session = try await page.api.send(Endpoints.connectInstance, path: .init(project: project, id), body: ConnectRequest(action: action))
        guard let launch = session.launchURL, launch.hasPrefix("/") else {
            _ = try? await page.api.send(Endpoints.revokeConnectSession, path: .init(project: project, session.id))
            throw PlatformError(.connectActionNotFound,
                                "\(action) is a \(session.type) action: run the appctl connect command the instance page shows")
        }
        return page.redirect(to: launch)
    }

    /// The API's phase stream of the instance, as it is (`text/event-stream`, one `phase`
    /// event per change, ending after a terminal phase), for the page's `EventSource`
    /// (console.js closes it after a terminal phase). `?after=SEQ` resumes after an event.
    static func events(_ page: ConsoleRequest, project: String, id: String) async throws -> Response {
        var headers: HTTPFields = [:]
        headers[.accept] = InstanceEventStream.contentType
        let after = page.query.text("after").flatMap(Int.init).map { "?after=\($0)" } ?? ""
        let response = try await page.transport.respond(
            method: .get, path: Endpoints.listInstanceEvents.path(.init(project: project, id)) + after, headers: headers)
        guard response.status == .ok else {
            // A refusal (another tenant's instance: iam.not_found) is the API's JSON error,
            // which an EventSource cannot read; the browser sees the status and stops.
            return Response(status: response.status, headers: [.cacheControl: "no-store"])
        }
        return response
    }
}

extension ConsoleTransport {
    /// The `/v1` router's own answer to a request the console builds itself (an event stream
    /// the browser follows), with the session's caller, like ``respond(_:)``.
    func respond(method: HTTPRequest.Method, path: String, headers: HTTPFields) async throws -> Response {
        var head = HTTPRequest(method: method, scheme: nil, authority: nil, path: path)
        head.headerFields = headers
        var context = context
        context.grants = nil
        context.project = nil
        return try await responder.respond(to: Request(head: head, body: HummingbirdCore.RequestBody(buffer: ByteBuffer())), context: context)
    }
}
