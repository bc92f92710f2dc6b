import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PlatformAPI
import PlatformContracts

/// Handlers of the notification endpoints: the caller's own feed (JSON or Server-Sent
/// Events), a project's webhook endpoints, the caller's preferences in a project, and the
/// outbox's dead letters. The service (`NotificationInbox`) writes their audit records.
extension V1Routes {
    func listNotifications(_ input: EndpointInput<NoPath, NotificationFeedQuery, NoBody>, _ context: PlatformRequestContext,
                           _ caller: Caller) async throws -> Reply<[NotificationFeedItem]> {
        let filter = try await feedFilter(input, caller)
        return .value(try await notifications.feed(principal: PrincipalID(caller.principalId), project: filter.project,
                                                   after: filter.after, limit: input.query.limit))
    }

    /// JSON, or Server-Sent Events with `Accept: text/event-stream`; `after` wins over `Last-Event-ID`.
    func streamNotifications(_ input: EndpointInput<NoPath, NotificationFeedQuery, NoBody>, _ context: PlatformRequestContext,
                             _ caller: Caller) async throws -> Reply<[NotificationFeedItem]> {
        let filter = try await feedFilter(input, caller)
        let principal = PrincipalID(caller.principalId)
        let first = try await notifications.feed(principal: principal, project: filter.project, after: filter.after, limit: input.query.limit)
        guard input.headers[.accept]?.contains(InstanceEventStream.contentType) == true else { return .value(first) }
        return .response(Self.notificationStream(notifications, feedChanged: notificationFeedChanged, isOpen: context.connectionIsOpen,
                                                 principal: principal, project: filter.project, first: first, after: filter.after))
    }

    func createWebhook(_ input: OfProject<WebhookEndpointRequest>, _ context: PlatformRequestContext,
                       _ caller: Caller) async throws -> Reply<CreatedWebhookEndpoint> {
        .value(try await notifications.addWebhook(project: try context.requireProject(), url: input.body.url, templates: input.body.templates ?? [],
                                                  by: PrincipalID(caller.principalId), requestID: context.requestID))
    }

    func listWebhooks(_ input: OfProject<NoBody>, _ context: PlatformRequestContext,
                      _ caller: Caller) async throws -> Reply<[WebhookEndpoint]> {
        .value(try await notifications.webhooks(project: try context.requireProject()))
    }

    func deleteWebhook(_ input: OfItem<ProjectItems.Webhook, NoBody>, _ context: PlatformRequestContext,
                       _ caller: Caller) async throws -> Reply<NoContent> {
        try await notifications.removeWebhook(input.path.item, project: try context.requireProject(), by: PrincipalID(caller.principalId),
                                              requestID: context.requestID)
        return .value(NoContent())
    }

    func getNotificationPreferences(_ input: OfProject<NoBody>, _ context: PlatformRequestContext,
                                    _ caller: Caller) async throws -> Reply<NotificationPreferenceSettings> {
        .value(try await notifications.preferences(principal: PrincipalID(caller.principalId), project: try context.requireProject()))
    }

    func setNotificationPreferences(_ input: OfProject<NotificationPreferenceSettings>, _ context: PlatformRequestContext,
                                    _ caller: Caller) async throws -> Reply<NotificationPreferenceSettings> {
        .value(try await notifications.setPreferences(input.body, principal: PrincipalID(caller.principalId), project: try context.requireProject(),
                                                      requestID: context.requestID))
    }

    func listDeadLetters(_ input: EndpointInput<NoPath, DeadLettersQuery, NoBody>, _ context: PlatformRequestContext,
                         _ caller: Caller) async throws -> Reply<[DeadLetterIntent]> {
        .value(try await notifications.deadLetters(limit: input.query.limit))
    }

    func retryDeadLetter(_ input: EndpointInput<DeadLetterPath, NoQuery, NoBody>, _ context: PlatformRequestContext,
                         _ caller: Caller) async throws -> Reply<NoContent> {
        try await notifications.retryDeadLetter(input.path.event, by: PrincipalID(caller.principalId), requestID: context.requestID)
        return .value(NoContent())
    }

    /// The feed's project (resolved for the caller: one out of reach is 404, as on every
    /// project route) and its cursor (`after`, else `Last-Event-ID`; an event id in canonical form).
    func feedFilter(_ input: EndpointInput<NoPath, NotificationFeedQuery, NoBody>, _ caller: Caller) async throws
        -> (project: String?, after: String?) {
        var project: String?
        if let reference = input.query.project { project = try await identity.project(reference, visibleTo: caller).id }
        let (name, cursor) = input.query.after.map { ("after", $0) } ?? (Self.lastEventID.rawName, input.headers[Self.lastEventID] ?? "")
        guard !cursor.isEmpty else { return (project, nil) }
        guard let id = ULID.canonical(cursor) else {
            throw PlatformError(.httpParameterInvalid, "\(name) must be an event id (a ULID); got \"\(cursor.prefix(40))\"",
                                details: ["parameter": name])
        }
        return (project, id.description)
    }

    /// `text/event-stream`: one `notification` event per feed item (`id` = its event id, so a
    /// client resumes with `Last-Event-ID`), a comment every 5 s of quiet, closed after
    /// ``NotificationStream/maximumSeconds`` (the client reconnects and misses nothing).
    /// Between reads it waits on `feedChanged` (woken when this process writes feed rows),
    /// at most a second, so another replica's rows arrive within a second too. It stops when
    /// `isOpen` says the connection is gone, or when a keep-alive write fails (a client that
    /// closed its side is only seen by a write: the server allows half-closure).
    static func notificationStream(_ notifications: any NotificationInbox, feedChanged: @escaping @Sendable (Duration) async -> Void,
                                   isOpen: @escaping @Sendable () -> Bool, principal: PrincipalID, project: String?, first: [NotificationFeedItem], after: String?) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = InstanceEventStream.contentType
        headers[.cacheControl] = "no-cache"
        let body = ResponseBody { writer in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let clock = ContinuousClock()
            let closing = clock.now.advanced(by: .seconds(NotificationStream.maximumSeconds))
            var keepAlive = clock.now.advanced(by: .seconds(NotificationStream.keepAliveSeconds))
            var pending = first
            var last = after
            while clock.now < closing {
                for item in pending {
                    let data = String(decoding: try encoder.encode(item), as: UTF8.self)
                    try await writer.write(ByteBuffer(string: NotificationStream.frame(eventID: item.eventId, json: data)))
                    last = item.eventId
                }
                if !pending.isEmpty { keepAlive = clock.now.advanced(by: .seconds(NotificationStream.keepAliveSeconds)) }
                // A full page means more is waiting: read it at once.
                if pending.count < NotificationFeedQuery.maxLimit {
                    if clock.now >= keepAlive {
                        try await writer.write(ByteBuffer(string: InstanceEventStream.keepAliveFrame))
                        keepAlive = clock.now.advanced(by: .seconds(NotificationStream.keepAliveSeconds))
                    }
                    await feedChanged(.seconds(1))
                    // The client went away: stop reading its feed now, not at the next keep-alive.
                    guard isOpen() else { throw CancellationError() }
                    try Task.checkCancellation()
                }
                pending = try await notifications.feed(principal: principal, project: project, after: last, limit: NotificationFeedQuery.maxLimit)
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}
