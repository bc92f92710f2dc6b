import PlatformContracts
import SQLKit

/// Computes a tenant's statement for a period from its rated charges: one line per project,
/// unit and app (`-` for usage no app emitted), with late usage of an earlier, closed period in
/// lines of its own (``Statement/Line/adjustmentFor``). Reversals are rated charges too, so a
/// corrected event nets out on its line and ``Statement/Line/charges`` counts both.
///
/// Reads inside the caller's connection or transaction, so closing a statement reads the same
/// charges it stores.
struct StatementLines {
    /// Currency and scale of an empty statement (the price book's).
    let currency: String
    let scale: Int
    /// Precisions of the units, for ``Statement/Line/displayQuantity``.
    let units: UsageUnitRegistry

    /// The statement of `tenant` for `period` as of now (status and stamps set by the caller).
    func statement(tenant: String, period: BillingPeriod, status: Statement.Status, at: Timestamp,
                   in db: any SQLDatabase) async throws -> Statement {
        let lines = try await lines(tenant: tenant, period: period, in: db)
        let currency = lines.first?.amount.currency ?? currency
        let scale = lines.first?.amount.scale ?? scale
        let total = lines.filter { $0.amount.currency == currency }.reduce(Int64(0)) { $0 + $1.amount.amount }
        let credit = try await creditApplied(tenant: tenant, period: period, in: db)
        return Statement(
            tenant: tenant, period: period, status: status, lines: lines, total: Money(currency: currency, amount: total, scale: scale),
            creditApplied: Money(currency: currency, amount: credit, scale: scale), generatedAt: at,
            closedAt: status == .closed ? at : nil, digest: nil)
    }

    /// One `GROUP BY` over the `(tenant_id, period)` index.
    func lines(tenant: String, period: BillingPeriod, in db: any SQLDatabase) async throws -> [Statement.Line] {
        // CAST: PostgreSQL's SUM of a BIGINT is NUMERIC and its COUNT a BIGINT.
        let rows = try await db.raw("""
            SELECT project_id, unit, COALESCE(app, '-') AS line_app, adjustment_for, currency, asset_scale,
                   CAST(SUM(quantity) AS BIGINT) AS quantity, CAST(SUM(amount) AS BIGINT) AS amount, CAST(COUNT(*) AS BIGINT) AS charges
            FROM billing_rated_charges WHERE tenant_id = \(bind: tenant) AND period = \(bind: period.description)
            GROUP BY project_id, unit, COALESCE(app, '-'), adjustment_for, currency, asset_scale
            """).all()
        return try rows.map { row in
            let unit = try row.decode(column: "unit", as: String.self)
            let quantity = try row.decode(column: "quantity", as: Int64.self)
            let adjustment = try row.decode(column: "adjustment_for", as: String?.self)
            return Statement.Line(
                project: try row.decode(column: "project_id", as: String.self), unit: unit,
                app: try row.decode(column: "line_app", as: String.self), quantity: quantity,
                displayQuantity: UsageQuantityText.display(quantity, precision: units.unit(unit)?.precision ?? 0),
                amount: Money(currency: try row.decode(column: "currency", as: String.self), amount: try row.decode(column: "amount", as: Int64.self),
                              scale: Int(try row.decode(column: "asset_scale", as: Int64.self))),
                adjustmentFor: try adjustment.map { try BillingPeriod($0) },
                charges: Int(try row.decode(column: "charges", as: Int64.self)))
        }.sorted { ($0.project, $0.unit, $0.app, $0.adjustmentFor?.description ?? "") < ($1.project, $1.unit, $1.app, $1.adjustmentFor?.description ?? "") }
    }

    /// Promotional credit the period's charges drew (net of reversals that gave it back): the
    /// debits of the tenant's promotional-credit account in the entries that posted them.
    func creditApplied(tenant: String, period: BillingPeriod, in db: any SQLDatabase) async throws -> Int64 {
        try await db.raw("""
            SELECT CAST(COALESCE(SUM(p.amount), 0) AS BIGINT) AS used
            FROM ledger_postings p JOIN billing_rated_charges c ON c.entry_id = p.entry_id
            WHERE c.tenant_id = \(bind: tenant) AND c.period = \(bind: period.description)
              AND p.account_id = \(bind: LedgerAccountID.tenant(tenant, .promotionalCredit).rawValue)
            """).first()?.decode(column: "used", as: Int64.self) ?? 0
    }
}
