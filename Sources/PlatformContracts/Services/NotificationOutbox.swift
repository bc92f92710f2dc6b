/// A durable intent to notify someone, written in the same transaction as the change.
public struct NotificationIntent: Sendable, Codable, Equatable {
    /// A template id from the notification-template registry.
    public var template: String
    /// Who is notified.
    public var recipient: PrincipalID
    /// Template variables.
    public var variables: [String: String]
    /// Consumers de-duplicate on this key.
    public var idempotencyKey: String

    /// Creates an intent.
    public init(template: String, recipient: PrincipalID, variables: [String: String], idempotencyKey: String) {
        self.template = template
        self.recipient = recipient
        self.variables = variables
        self.idempotencyKey = idempotencyKey
    }
}

/// The notification contract (implemented by `NotificationService`).
public protocol NotificationOutbox: Sendable {
    /// Queues an intent for at-least-once dispatch.
    func enqueue(_ intent: NotificationIntent) async throws
}
