import PlatformContracts
import SQLKit

/// `appctl usage summary`: recorded usage of a project or a tenant since an instant, grouped by
/// unit, app, instance or day, with what it has been rated at so far and how many of its events
/// still wait for rating.
///
/// Quantities count each event once as its chain stands: an event another event `corrects`
/// is left out, so a correction replaces what it corrects instead of adding to it. Amounts are
/// the rated charges of the same events, reversals included, so they net the same way.
struct UsageSummaryQuery {
    /// Whose usage: the column both tables filter on, and its value.
    enum Scope {
        case tenant(String), project(String)

        var column: String {
            switch self {
            case .tenant: "tenant_id"
            case .project: "project_id"
            }
        }

        var value: String {
            switch self {
            case .tenant(let id), .project(let id): id
            }
        }
    }

    let scope: Scope
    let since: Timestamp
    let groupBy: UsageGrouping
    let currency: String
    let scale: Int
    let units: UsageUnitRegistry

    /// The group key of a row of either table (both name app, instance and time alike).
    static func key(_ grouping: UsageGrouping) -> String {
        switch grouping {
        case .unit: "unit"
        case .app: "COALESCE(app, '-')"
        case .instance: "COALESCE(instance_id, '-')"
        // Fixed-width RFC 3339 text in UTC: its first ten characters are the day.
        case .day: "SUBSTR(occurred_at, 1, 10)"
        }
    }

    func run(in db: any SQLDatabase) async throws -> UsageSummary {
        let key = Self.key(groupBy)
        // CAST: PostgreSQL's SUM of a BIGINT is NUMERIC and its COUNT a BIGINT.
        let usage = try await db.raw("""
            SELECT \(unsafeRaw: key) AS grp, unit, CAST(SUM(quantity) AS BIGINT) AS quantity, CAST(COUNT(*) AS BIGINT) AS events
            FROM metering_usage_events e
            WHERE \(unsafeRaw: scope.column) = \(bind: scope.value) AND occurred_at >= \(bind: since.rfc3339)
              AND NOT EXISTS (SELECT 1 FROM metering_usage_events c WHERE c.source = e.source AND c.corrects = e.id)
            GROUP BY \(unsafeRaw: key), unit
            """).all()
        let rated = try await db.raw("""
            SELECT \(unsafeRaw: key) AS grp, unit, currency, CAST(SUM(amount) AS BIGINT) AS amount
            FROM billing_rated_charges
            WHERE \(unsafeRaw: scope.column) = \(bind: scope.value) AND occurred_at >= \(bind: since.rfc3339)
            GROUP BY \(unsafeRaw: key), unit, currency
            """).all()
        let unrated = try await db.raw("""
            SELECT CAST(COUNT(*) AS BIGINT) AS waiting FROM metering_rating_queue q
            JOIN metering_usage_events e ON e.source = q.source AND e.id = q.id
            WHERE e.\(unsafeRaw: scope.column) = \(bind: scope.value) AND e.occurred_at >= \(bind: since.rfc3339)
            """).first()?.decode(column: "waiting", as: Int64.self) ?? 0

        struct Key: Hashable { var group: String, unit: String }
        var quantities: [Key: (quantity: Int64, events: Int)] = [:]
        for row in usage {
            let key = Key(group: try row.decode(column: "grp", as: String.self), unit: try row.decode(column: "unit", as: String.self))
            quantities[key] = (try row.decode(column: "quantity", as: Int64.self), Int(try row.decode(column: "events", as: Int64.self)))
        }
        var amounts: [Key: Int64] = [:]
        for row in rated {
            guard try row.decode(column: "currency", as: String.self) == currency else { continue }
            let key = Key(group: try row.decode(column: "grp", as: String.self), unit: try row.decode(column: "unit", as: String.self))
            amounts[key, default: 0] += try row.decode(column: "amount", as: Int64.self)
        }
        let rows = Set(quantities.keys).union(amounts.keys).sorted { ($0.group, $0.unit) < ($1.group, $1.unit) }.map { key in
            let (quantity, events) = quantities[key] ?? (0, 0)
            return UsageSummary.Row(
                group: key.group, unit: key.unit, quantity: quantity,
                displayQuantity: UsageQuantityText.display(quantity, precision: units.unit(key.unit)?.precision ?? 0), events: events,
                amount: Money(currency: currency, amount: amounts[key] ?? 0, scale: scale))
        }
        let (tenant, project): (String?, String?) = switch scope {
        case .tenant(let id): (id, nil)
        case .project(let id): (nil, id)
        }
        return UsageSummary(tenant: tenant, project: project, since: since, groupBy: groupBy, rows: rows, unrated: Int(unrated))
    }
}
