import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NotificationService
import PlatformContracts
import PlatformStore
import PlatformTestKit
import SQLKit
import Synchronization
import Testing

/// A store migrated with the outbox and notification schemas alone, the checkout's template
/// registry, a recording auditor and a manual clock: the notification service without a server.
struct NotificationFixture: Sendable {
    let store: SQLStore
    let clock: ManualClock
    let audit: RecordingAuditor
    let catalog: NotificationTemplateCatalog
    let logger = Logger(label: "test.notification") { _ in SwiftLogNoOpLogHandler() }
    static let project = Project(id: "01JPROJECTNOTIFY0000000000", tenantId: "01JTENANTNOTIFY00000000000", name: "ml", createdAt: "")

    func service(smtp: SMTPSettings? = nil, clock: (any PlatformClock)? = nil) -> NotificationService {
        NotificationService(store: store, catalog: catalog, audit: audit, clock: clock ?? self.clock, smtp: smtp, logger: logger)
    }

    func dispatcher(_ consumers: [String: any OutboxConsumer], clock: (any PlatformClock)? = nil,
                    backoff: OutboxBackoff = OutboxBackoff(base: .seconds(1), maxAttempts: 4)) -> OutboxDispatcher {
        OutboxDispatcher(store: store, consumers: consumers, clock: clock ?? self.clock, backoff: backoff,
                         random: { 0 }, logger: logger)
    }

    /// Writes a notification event the way a producer does, in its own transaction.
    @discardableResult
    func notify(_ template: String, recipients: [String], variables: [String: String], clock: (any PlatformClock)? = nil) async throws -> ULID {
        let event = NotificationEvent(template: template, project: Self.project.id, tenant: Self.project.tenantId,
                                      recipients: recipients, variables: variables, occurredAt: (clock ?? self.clock).now())
        return try #require(try await store.transaction { db in
            try await OutboxWriter(clock: clock ?? self.clock).notify(event, in: db)
        })
    }

    func count(_ sql: SQLQueryString) async throws -> Int {
        try await store.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM \(sql)").first()?.decode(column: "n", as: Int.self) ?? -1
        }
    }

    /// Intents of `topic` with their state and payload.
    func intents(_ topic: String) async throws -> [(id: String, state: String, payload: String, attempts: Int64)] {
        try await store.read { db in
            try await db.raw("""
                SELECT event_id, state, payload, attempts FROM outbox_intents WHERE topic = \(bind: topic) ORDER BY event_id
                """).all().map {
                (try $0.decode(column: "event_id", as: String.self), try $0.decode(column: "state", as: String.self),
                 try $0.decode(column: "payload", as: String.self), try $0.decode(column: "attempts", as: Int64.self))
            }
        }
    }

    static let instanceFailed = ["app": "trainer", "instance": "i-1", "reason": "exit 137"]
    static let keyExpiring = ["key": "k-1", "expires_at": "2027-01-20"]
}

func withNotificationStore<T>(_ backend: ServerBackend, _ body: (NotificationFixture) async throws -> T) async throws -> T {
    try await withTemporaryDirectory { directory async throws in
        let location: DatabaseLocation = switch backend {
        case .sqlite: .sqlite(path: directory.appending("platform.db").path)
        case .postgres: try DatabaseLocation(url: try await PostgresServer.shared.makeDatabase())
        }
        let logger = Logger(label: "test.notification") { _ in SwiftLogNoOpLogHandler() }
        let store = try await SQLStore.open(location, logger: logger)
        do {
            try await Migrator(store: store, sets: [OutboxSchema.migrations, NotificationSchema.migrations], logger: logger).migrate()
            let fixture = NotificationFixture(store: store, clock: ManualClock(), audit: RecordingAuditor(),
                                              catalog: try NotificationTemplateTests.checkoutCatalog())
            let result = try await body(fixture)
            await store.shutdown()
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    }
}

/// Records audit events instead of chaining them (the real log is tested elsewhere).
final class RecordingAuditor: TransactionalAuditing {
    private let events = Mutex<[AuditEvent]>([])
    var recorded: [AuditEvent] { events.withLock { $0 } }

    func append(_ event: AuditEvent, tenant: String?, in db: any SQLDatabase) async throws -> AuditRecord {
        events.withLock { $0.append(event) }
        return AuditRecord(sequence: 0, id: "", time: "", tenant: tenant, project: event.project, actor: event.actor.rawValue,
                           action: event.action, target: event.target, outcome: event.outcome, requestId: event.requestID,
                           details: event.details)
    }
}

/// A webhook receiver in process that records every request's headers and body and answers
/// from a script of statuses (then 204), so a test sees each retry exactly as sent.
final class CapturingReceiver: Sendable {
    struct Delivery: Sendable {
        let headers: StandardWebhookHeaders?
        let body: [UInt8]
    }

    final class State: Sendable {
        let lock: Mutex<(statuses: [Int], deliveries: [Delivery])>
        init(_ statuses: [Int]) { lock = Mutex((statuses, [])) }
    }

    private let state: State
    private let task: Task<Void, any Error>
    let port: Int

    init(statuses: [Int]) async throws {
        let state = State(statuses)
        self.state = state
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            let body = Array(buffer: try await request.body.collect(upTo: 1 << 20))
            let fields = ["webhook-id", "webhook-timestamp", "webhook-signature"].map { name in
                HTTPField.Name(name).flatMap { request.headers[$0] }
            }
            var headers: StandardWebhookHeaders?
            if let id = fields[0], let timestamp = fields[1].flatMap({ Int64($0) }), let signature = fields[2] {
                headers = StandardWebhookHeaders(id: id, timestamp: timestamp, signature: signature)
            }
            let status = state.lock.withLock { state -> Int in
                state.deliveries.append(Delivery(headers: headers, body: body))
                return state.statuses.isEmpty ? 204 : state.statuses.removeFirst()
            }
            return Response(status: .init(code: status))
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: Logger(label: "test.receiver") { _ in SwiftLogNoOpLogHandler() })
        task = Task { try await app.runService() }
        var iterator = ports.makeAsyncIterator()
        port = await iterator.next() ?? 0
    }

    var url: String { "http://127.0.0.1:\(port)/hook" }
    var deliveries: [Delivery] { state.lock.withLock { $0.deliveries } }

    func stop() { task.cancel() }
}
