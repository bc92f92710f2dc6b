import PlatformContracts
import PlatformStore
import SQLKit

/// Statements: computed from rated charges while the period is open, stored with a digest
/// once closed, and announced per project through the outbox (`statement.closed`).
extension BillingService {
    /// The template announcing a closed statement (notification-templates.yaml).
    static let statementClosedTemplate = "statement.closed"
    /// The audit action of a close (audit-actions.yaml).
    static let statementCloseAction = "billing.statement.close"

    public func statement(tenant: String, period: BillingPeriod) async throws -> Statement {
        let now = clock.now()
        guard period.start <= now else {
            throw PlatformError(.billingPeriodInvalid, "period \(period) has not started", details: ["period": period.description])
        }
        let lines = try await statementLines()
        return try await store.read { db in
            if let closed = try await ClosedStatements.read(tenant: tenant, period: period, in: db) { return closed }
            return try await lines.statement(tenant: tenant, period: period, status: .open, at: now, in: db)
        }
    }

    public func closeStatement(tenant: String, period: BillingPeriod, by actor: String) async throws -> Statement {
        let now = clock.now()
        guard period.end <= now else {
            throw PlatformError(.billingPeriodInvalid, "period \(period) has not ended; a statement closes after \(period.end.rfc3339)",
                                details: ["period": period.description])
        }
        let lines = try await statementLines()
        let backend = store.backend
        return try await store.transaction { db in
            // The lock orders the close against rating: a charge of this period either commits
            // before (and is on the statement) or sees it closed (and lands on the open period).
            try await BillingLock.acquire(db, backend: backend)
            if let closed = try await ClosedStatements.read(tenant: tenant, period: period, in: db) { return closed }
            let statement = try await ClosedStatements.insert(
                try await lines.statement(tenant: tenant, period: period, status: .closed, at: now, in: db), by: actor, in: db)
            try await audit.append(
                AuditEvent(actor: PrincipalID(actor), action: Self.statementCloseAction, target: "statement/\(tenant)/\(period)",
                           outcome: .success, details: ["period": period.description, "digest": statement.digest ?? "",
                                                        "total": statement.total.display, "currency": statement.total.currency,
                                                        "lines": String(statement.lines.count)]),
                tenant: tenant, in: db)
            try await announce(statement, by: actor, at: now, in: db)
            return statement
        }
    }

    /// One `statement.closed` notification per project on the statement, deduplicated by
    /// tenant, period and project so a retried close never announces twice.
    func announce(_ statement: Statement, by actor: String, at: Timestamp, in db: any SQLDatabase) async throws {
        let outbox = OutboxWriter(clock: clock)
        let projects = Dictionary(grouping: statement.lines, by: \.project)
        for (project, lines) in projects.sorted(by: { $0.key < $1.key }) {
            let amount = lines.filter { $0.amount.currency == statement.total.currency }.reduce(Int64(0)) { $0 + $1.amount.amount }
            let event = NotificationEvent(
                template: Self.statementClosedTemplate, project: project, tenant: statement.tenant,
                recipients: actor == Self.systemActor ? [] : [actor],
                variables: ["tenant": statement.tenant, "period": statement.period.description, "project": project,
                            "amount": Money(currency: statement.total.currency, amount: amount, scale: statement.total.scale).display,
                            "currency": statement.total.currency, "lines": String(lines.count), "digest": statement.digest ?? ""],
                occurredAt: at)
            try await outbox.notify(event, dedupeKey: "statement.closed/\(statement.tenant)/\(statement.period)/\(project)", in: db)
        }
    }

    /// The actor of closes the platform makes on its own (``StatementCloser``).
    static let systemActor = "platformd"

    /// The line builder with the price book's currency and scale (for empty statements).
    func statementLines() async throws -> StatementLines {
        let book = await policy.read().snapshot.priceBook
        return StatementLines(currency: book?.currency ?? "USD", scale: book?.assetScale ?? 6, units: units)
    }
}

/// The usage summary.
extension BillingService {
    public func usageSummary(tenant: String?, project: String?, since: Timestamp, groupBy: UsageGrouping) async throws -> UsageSummary {
        let scope: UsageSummaryQuery.Scope
        switch (tenant, project) {
        case (let tenant?, nil): scope = .tenant(tenant)
        case (nil, let project?): scope = .project(project)
        default:
            throw PlatformError(.httpParameterInvalid, "a usage summary is of one project or one tenant: give exactly one",
                                details: ["parameter": "project|tenant"])
        }
        let book = await policy.read().snapshot.priceBook
        let query = UsageSummaryQuery(scope: scope, since: since, groupBy: groupBy, currency: book?.currency ?? "USD",
                                      scale: book?.assetScale ?? 6, units: units)
        return try await store.read { db in try await query.run(in: db) }
    }
}
