import HTTPTypes
import PlatformContracts

/// Usage ingestion for products and usage summaries. A product (its service account holds
/// `usage:events:write` on the projects it meters, or platform-wide) posts batches of events;
/// the server derives each event's tenant from its project (a caller never names the tenant
/// it charges) and stores the batch atomically, idempotent by `(source, id)`.
extension Endpoints {
    public static let ingestUsageEvents = Endpoint<NoPath, NoQuery, UsageEventBatch, UsageIngestReport>(
        .ingestUsageEvents, in: .usage, .post, "/v1/usage/events", scope: "usage:events:write",
        summary: "Record a batch of at most 1000 usage events atomically; the same (source, id) again is a no-op, with another payload a 409.")
    public static let getUsageSummary = Endpoint<NoPath, UsageSummaryQuery, NoBody, UsageSummary>(
        .getUsageSummary, in: .usage, .get, "/v1/usage/summary", scope: "usage:read",
        summary: "Usage of a project or a tenant since a time, grouped by unit, app, instance or day, with rated amounts and unrated events.")
}

/// `POST /v1/usage/events`: one product's events.
public struct UsageEventBatch: Codable, Sendable, Hashable {
    /// The emitting product (a products.yaml id such as `token-factory`); with each event's id
    /// the idempotency key, and the product its revenue is attributed to.
    public var source: String
    /// At most 1000 events.
    public var events: [UsageEventInput]

    /// Creates a batch.
    public init(source: String, events: [UsageEventInput]) {
        self.source = source
        self.events = events
    }
}

/// One event as a product reports it: no tenant (the project's is charged).
public struct UsageEventInput: Codable, Sendable, Hashable {
    /// Unique per source: the idempotency key.
    public var id: String
    /// A usage-unit id (`inference.token`).
    public var unit: String
    /// The unit's registry version the quantity was measured under (default: the current one).
    public var unitVersion: Int?
    /// An integer in the unit's precision (never a fraction).
    public var quantity: Int64
    /// Project id or `tenant/project`.
    public var project: String
    /// The app it was used by, when one.
    public var app: String?
    /// The instance it was used by, when one.
    public var instance: String?
    /// When the usage happened (RFC 3339).
    public var occurredAt: Timestamp
    /// The id of an earlier event of the same source this one replaces.
    public var corrects: String?

    /// Creates an event.
    public init(id: String, unit: String, unitVersion: Int? = nil, quantity: Int64, project: String, app: String? = nil,
                instance: String? = nil, occurredAt: Timestamp, corrects: String? = nil) {
        self.id = id
        self.unit = unit
        self.unitVersion = unitVersion
        self.quantity = quantity
        self.project = project
        self.app = app
        self.instance = instance
        self.occurredAt = occurredAt
        self.corrects = corrects
    }
}

/// The subject and range of a usage summary: exactly one of `project` and `tenant`.
public struct UsageSummaryQuery: EndpointQuery {
    static let project = QueryField("project", .string, "The project (id or `tenant/project`); or give `tenant`.")
    static let tenant = QueryField("tenant", .string, "The tenant (id or name), all its projects; or give `project`.")
    static let since = QueryField("since", .string, "Usage that happened at or after this RFC 3339 time (default: the start of this month, UTC).")
    static let groupBy = QueryField("groupBy", .string, "unit (default), app, instance or day.")
    public static let fields = [project, tenant, since, groupBy]
    /// Project filter.
    public var project: String?
    /// Tenant filter.
    public var tenant: String?
    /// Start of the range.
    public var since: Timestamp?
    /// Grouping.
    public var groupBy: UsageGrouping

    /// Creates the query.
    public init(project: String? = nil, tenant: String? = nil, since: Timestamp? = nil, groupBy: UsageGrouping = .unit) {
        self.project = project; self.tenant = tenant; self.since = since; self.groupBy = groupBy
    }

    public init(reading value: (String) -> String?) throws(PlatformError) {
        project = value("project"); tenant = value("tenant")
        guard (project == nil) != (tenant == nil) else {
            throw PlatformError(.httpParameterInvalid, "give exactly one of project and tenant", details: ["parameter": "project"])
        }
        if let text = value("since") {
            guard let since = Timestamp(rfc3339: text) else {
                throw PlatformError(.httpParameterInvalid, "since must be an RFC 3339 time; got \"\(text.prefix(40))\"", details: ["parameter": "since"])
            }
            self.since = since
        }
        let grouping = value("groupBy") ?? UsageGrouping.unit.rawValue
        guard let groupBy = UsageGrouping(rawValue: grouping) else {
            throw PlatformError(.httpParameterInvalid, "groupBy is unit, app, instance or day; got \"\(grouping.prefix(40))\"",
                                details: ["parameter": "groupBy"])
        }
        self.groupBy = groupBy
    }

    public var items: [(name: String, value: String)] {
        var items: [(name: String, value: String)] = []
        if let project { items.append(("project", project)) }
        if let tenant { items.append(("tenant", tenant)) }
        if let since { items.append(("since", since.description)) }
        if groupBy != .unit { items.append(("groupBy", groupBy.rawValue)) }
        return items
    }
}
