/// A tenant's monthly statement: a line per project, unit and app, in JSON or CSV
/// (`appctl billing statement --tenant T --period 2026-12 [--output csv]`).
public struct Statement: Sendable, Codable, Hashable {
    /// Open statements are computed on read; a closed one is stored and never changes.
    public enum Status: String, Sendable, Codable, Hashable, CaseIterable {
        case open, closed
    }

    /// One line.
    public struct Line: Sendable, Codable, Hashable {
        public var project: String
        public var unit: String
        /// The app, or `-` for usage no app emitted (registry storage).
        public var app: String
        /// Net quantity in the unit's precision, and in display units (`1.500000`).
        public var quantity: Int64
        public var displayQuantity: String
        public var amount: Money
        /// Set on lines of late usage of an earlier, closed period.
        public var adjustmentFor: BillingPeriod?
        /// Rated charges summed into it (reversals included).
        public var charges: Int

        /// Creates a line.
        public init(project: String, unit: String, app: String, quantity: Int64, displayQuantity: String, amount: Money,
                    adjustmentFor: BillingPeriod?, charges: Int) {
            self.project = project
            self.unit = unit
            self.app = app
            self.quantity = quantity
            self.displayQuantity = displayQuantity
            self.amount = amount
            self.adjustmentFor = adjustmentFor
            self.charges = charges
        }
    }

    public var tenant: String
    public var period: BillingPeriod
    public var status: Status
    public var lines: [Line]
    public var total: Money
    /// Promotional credit used by this period's charges.
    public var creditApplied: Money
    public var generatedAt: Timestamp
    public var closedAt: Timestamp?
    /// SHA-256 of the closed document's canonical JSON (nil while open).
    public var digest: String?

    /// Creates a statement.
    public init(tenant: String, period: BillingPeriod, status: Status, lines: [Line], total: Money, creditApplied: Money,
                generatedAt: Timestamp, closedAt: Timestamp?, digest: String?) {
        self.tenant = tenant
        self.period = period
        self.status = status
        self.lines = lines
        self.total = total
        self.creditApplied = creditApplied
        self.generatedAt = generatedAt
        self.closedAt = closedAt
        self.digest = digest
    }
}

/// How `appctl usage summary` groups.
public enum UsageGrouping: String, Sendable, Codable, Hashable, CaseIterable {
    case unit, app, instance, day
}

/// `appctl usage summary --project|--tenant --since --group-by`: recorded usage (and what it
/// was rated at) per group and unit.
public struct UsageSummary: Sendable, Codable, Hashable {
    /// One group's total for one unit.
    public struct Row: Sendable, Codable, Hashable {
        /// The group's key: the unit, app, instance or day (`2026-12-06`); `-` when none.
        public var group: String
        public var unit: String
        public var quantity: Int64
        public var displayQuantity: String
        public var events: Int
        /// Rated so far (unrated events are not in it yet).
        public var amount: Money

        /// Creates a row.
        public init(group: String, unit: String, quantity: Int64, displayQuantity: String, events: Int, amount: Money) {
            self.group = group
            self.unit = unit
            self.quantity = quantity
            self.displayQuantity = displayQuantity
            self.events = events
            self.amount = amount
        }
    }

    public var tenant: String?
    public var project: String?
    public var since: Timestamp
    public var groupBy: UsageGrouping
    public var rows: [Row]
    /// Events recorded but not rated yet in the range.
    public var unrated: Int

    /// Creates a summary.
    public init(tenant: String?, project: String?, since: Timestamp, groupBy: UsageGrouping, rows: [Row], unrated: Int) {
        self.tenant = tenant
        self.project = project
        self.since = since
        self.groupBy = groupBy
        self.rows = rows
        self.unrated = unrated
    }
}
