/// A metered usage event, with the attribution rating and statements need.
///
/// Quantities are integers in the unit's registry ``UsageUnitDefinition/precision``.
/// `(source, id)` is the idempotency key: the same key again with the same payload is a no-op,
/// with another payload a conflict (`usage.event_conflict`, 409).
public struct UsageEvent: Sendable, Codable, Equatable {
    /// The emitting product (products.yaml id: `apps`, `artifacts`, `token-factory`); with
    /// ``id`` the idempotency key.
    public var source: String
    /// Unique per source.
    public var id: String
    /// A unit of the usage-unit registry (`gpu-hour.h100`).
    public var unit: String
    /// The unit's registry version the quantity was measured under.
    public var unitVersion: Int
    /// The amount, as an integer in the unit's precision.
    public var quantity: Int64
    /// The tenant charged (always the project's tenant; the server derives it).
    public var tenant: String
    /// Which project is charged.
    public var project: ProjectID
    /// The product the revenue is attributed to (`apps`, `token-factory`).
    public var product: String
    /// The app (catalog name) it was used by, when one.
    public var app: String?
    /// The instance it was used by, when one.
    public var instance: String?
    /// When the usage happened.
    public var occurredAt: Timestamp
    /// The id (same source) of an earlier event this one corrects: rating reverses the
    /// earlier charge and posts this one instead; nothing is rewritten.
    public var corrects: String?

    /// Creates an event.
    public init(source: String, id: String, unit: String, unitVersion: Int = 1, quantity: Int64, tenant: String, project: ProjectID,
                product: String, app: String? = nil, instance: String? = nil, occurredAt: Timestamp, corrects: String? = nil) {
        self.source = source
        self.id = id
        self.unit = unit
        self.unitVersion = unitVersion
        self.quantity = quantity
        self.tenant = tenant
        self.project = project
        self.product = product
        self.app = app
        self.instance = instance
        self.occurredAt = occurredAt
        self.corrects = corrects
    }
}

/// What one event of an ingested batch became.
public enum UsageIngestOutcome: String, Sendable, Codable, Hashable, CaseIterable {
    /// Stored and queued for rating.
    case accepted
    /// Stored and queued; its period's statement is closed, so its charge lands on the open
    /// period as an adjustment line.
    case adjustment
    /// Already stored with the same payload: nothing changed.
    case duplicate
}

/// The answer to an ingested batch (`POST /v1/usage/events`).
public struct UsageIngestReport: Sendable, Codable, Hashable {
    /// One event's outcome.
    public struct Result: Sendable, Codable, Hashable {
        /// The event id.
        public var id: String
        /// What became of it.
        public var outcome: UsageIngestOutcome

        /// Creates a result.
        public init(id: String, outcome: UsageIngestOutcome) {
            self.id = id
            self.outcome = outcome
        }
    }

    /// Per event, in the batch's order.
    public var results: [Result]
    /// Events newly stored.
    public var accepted: Int { results.filter { $0.outcome != .duplicate }.count }
    /// Events that were already stored.
    public var duplicates: Int { results.filter { $0.outcome == .duplicate }.count }

    /// Creates a report.
    public init(results: [Result]) {
        self.results = results
    }
}

/// The metering contract (implemented by the metering service's `UsageEventLog`): usage is
/// buffered durably in the event log and rated later, never dropped, even while the ledger
/// writer cannot write.
public protocol UsageRecorder: Sendable {
    /// Records one event; see ``ingest(_:)``.
    func record(_ event: UsageEvent) async throws

    /// Records a batch atomically: every event is stored (or was already, identically), or
    /// none is. Throws `usage.event_conflict` (a known id with another payload),
    /// `usage.unit_unknown`/`usage.unit_retired`, `usage.too_late` (older than the late
    /// window) or `usage.correction_unknown` (corrects an id not stored).
    func ingest(_ events: [UsageEvent]) async throws -> UsageIngestReport

    /// A project's events, oldest first; only `source`'s when given, and only those whose
    /// `id` starts with `idPrefix` when given (`INSTANCE/` for one instance's).
    func events(project: String, source: String?, idPrefix: String?) async throws -> [UsageEvent]

    /// The sum of a project's recorded quantities of `unit` — or of its family: `gpu-hour`
    /// sums every `gpu-hour.<model>` — that happened at or after `since`: admission's read of
    /// GPU-seconds this calendar month.
    func total(project: String, unit: String, since: Timestamp) async throws -> Int64
}

extension UsageRecorder {
    /// Records one event as a batch of one.
    public func record(_ event: UsageEvent) async throws { _ = try await ingest([event]) }

    /// Sums ``events(project:source:idPrefix:)``: correct for any recorder, and what twins use;
    /// the durable log answers with one `SUM`.
    public func total(project: String, unit: String, since: Timestamp) async throws -> Int64 {
        try await events(project: project, source: nil, idPrefix: nil)
            .filter { ($0.unit == unit || $0.unit.hasPrefix(unit + ".")) && $0.occurredAt >= since }.reduce(0) { $0 + $1.quantity }
    }
}
