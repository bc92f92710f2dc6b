/// A metered usage event. Quantities are scaled integers in the unit's registry scale.
public struct UsageEvent: Sendable, Codable, Equatable {
    /// The emitting module (`apps.instances`); with ``id`` the idempotency key.
    public var source: String
    /// Unique per source.
    public var id: String
    /// A unit from the usage-unit registry (e.g. `gpu.second`).
    public var unit: String
    /// The amount, as an integer in the unit's scale.
    public var quantity: Int64
    /// Which project is charged.
    public var project: ProjectID
    /// When the usage happened.
    public var occurredAt: Timestamp

    /// Creates an event.
    public init(source: String, id: String, unit: String, quantity: Int64, project: ProjectID, occurredAt: Timestamp) {
        self.source = source
        self.id = id
        self.unit = unit
        self.quantity = quantity
        self.project = project
        self.occurredAt = occurredAt
    }
}

/// The metering contract (implemented by `MeteringService`): buffers durably, never
/// silently drops.
public protocol UsageRecorder: Sendable {
    /// Records an event; a re-sent identical event is a success, a re-sent id with another
    /// payload is ``ErrorCode/storeConflict``.
    func record(_ event: UsageEvent) async throws

    /// A project's events, oldest first; only `source`'s when given, and only those whose
    /// `id` starts with `idPrefix` when given (`INSTANCE/` for one instance's).
    func events(project: String, source: String?, idPrefix: String?) async throws -> [UsageEvent]

    /// The sum of a project's recorded `unit` quantities that happened at or after `since`:
    /// admission's read of GPU-seconds this calendar month, one aggregate instead of a
    /// month of events.
    func total(project: String, unit: String, since: Timestamp) async throws -> Int64
}

extension UsageRecorder {
    /// Sums ``events(project:source:idPrefix:)``: correct for any recorder, and what twins use;
    /// the durable log answers with one `SUM`.
    public func total(project: String, unit: String, since: Timestamp) async throws -> Int64 {
        try await events(project: project, source: nil, idPrefix: nil)
            .filter { $0.unit == unit && $0.occurredAt >= since }.reduce(0) { $0 + $1.quantity }
    }
}
