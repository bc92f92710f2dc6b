/// What a ledger account holds. The ledger follows TigerBeetle's model: accounts with debit
/// and credit totals per currency, and immutable entries whose postings move amounts between
/// them; an account's balance is derived, never written.
public enum LedgerAccountKind: String, Sendable, Codable, Hashable, CaseIterable {
    /// A tenant's paid-in balance (credit normal): charges draw it down, may go negative.
    case prepaid
    /// What a postpaid tenant owes (debit normal): charges raise it.
    case receivable
    /// Credit a platform admin granted a tenant (credit normal): charges use it first.
    case promotionalCredit = "promotional-credit"
    /// Revenue of one product (credit normal).
    case revenue
    /// The platform's funding side of promotional credit (debit normal).
    case promotionsExpense = "promotions-expense"

    /// Whether the balance people read is credits − debits (liabilities and revenue) rather
    /// than debits − credits (receivables and expenses).
    public var creditNormal: Bool { self == .prepaid || self == .promotionalCredit || self == .revenue }
}

/// A typed ledger account id: `tenant/acme/receivable`, `revenue/apps`, `platform/promotions-expense`.
public struct LedgerAccountID: RawRepresentable, Sendable, Codable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// A tenant's account of `kind` (prepaid, receivable or promotional credit).
    public static func tenant(_ tenant: String, _ kind: LedgerAccountKind) -> LedgerAccountID {
        LedgerAccountID(rawValue: "tenant/\(tenant)/\(kind.rawValue)")
    }

    /// A product's revenue account.
    public static func revenue(product: String) -> LedgerAccountID { LedgerAccountID(rawValue: "revenue/\(product)") }

    /// The platform's promotions expense account.
    public static let promotionsExpense = LedgerAccountID(rawValue: "platform/\(LedgerAccountKind.promotionsExpense.rawValue)")

    public var description: String { rawValue }
    public static func < (lhs: LedgerAccountID, rhs: LedgerAccountID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One leg of a journal entry: a positive amount debits the account, a negative one credits it.
public struct Posting: Sendable, Codable, Hashable {
    /// The account.
    public var account: LedgerAccountID
    /// ISO 4217 code.
    public var currency: String
    /// Debit (+) or credit (−), at the price book's asset scale.
    public var amount: Int64

    /// Creates a posting.
    public init(account: LedgerAccountID, currency: String, amount: Int64) {
        self.account = account
        self.currency = currency
        self.amount = amount
    }
}

/// Why an entry was posted.
public enum JournalEntryKind: String, Sendable, Codable, Hashable, CaseIterable {
    /// A rated usage charge.
    case charge
    /// The mirror of an earlier charge, after a correction.
    case reversal
    /// Promotional credit granted by a platform admin.
    case creditGrant = "credit-grant"
}

/// An immutable journal entry: at least two postings that sum to zero per currency. Its id is
/// its idempotency key (`charge/<rated charge id>`, `credit/<grant id>`); posting the same id
/// again is a no-op. There is no update or delete path.
public struct JournalEntry: Sendable, Codable, Hashable {
    /// Idempotency key.
    public var id: String
    /// Commit order, gap-free from 1.
    public var seq: Int64
    /// Why.
    public var kind: JournalEntryKind
    /// The tenant whose accounts it touches.
    public var tenant: String
    /// The rated charge or grant it posts.
    public var reference: String
    /// Free text (a grant's reason).
    public var memo: String?
    /// The legs.
    public var postings: [Posting]
    /// When it was committed.
    public var postedAt: Timestamp

    /// Creates an entry.
    public init(id: String, seq: Int64, kind: JournalEntryKind, tenant: String, reference: String, memo: String?, postings: [Posting],
                postedAt: Timestamp) {
        self.id = id
        self.seq = seq
        self.kind = kind
        self.tenant = tenant
        self.reference = reference
        self.memo = memo
        self.postings = postings
        self.postedAt = postedAt
    }

    /// Whether the postings sum to zero in every currency and there are at least two.
    public var isBalanced: Bool {
        postings.count >= 2 && Dictionary(grouping: postings, by: \.currency).values.allSatisfy { $0.reduce(Int64(0)) { $0 + $1.amount } == 0 }
    }
}

/// A rated charge: one usage event priced (or, with ``kind`` `reversal`, an earlier charge
/// undone after a correction). Each is posted exactly once, as entry ``entryId``.
public struct RatedCharge: Sendable, Codable, Hashable {
    /// `<source>/<event id>/<kind>`.
    public var id: String
    /// `charge` or `reversal`.
    public var kind: JournalEntryKind
    /// The rated charge a reversal undoes.
    public var reverses: String?
    /// The event's source and id.
    public var eventSource: String
    public var eventId: String
    /// Attribution, copied from the event.
    public var tenant: String
    public var project: String
    public var product: String
    public var app: String?
    public var instance: String?
    public var unit: String
    public var unitVersion: Int
    /// The event's quantity (negative on a reversal).
    public var quantity: Int64
    /// The price (negative on a reversal), with its currency and scale.
    public var amount: Money
    /// The price-book version and unit price it used.
    public var priceBookVersion: Int
    public var unitPrice: Int64
    /// The tenant's plan and the policy snapshot it was rated under.
    public var plan: String
    public var policySnapshot: String
    /// When the usage happened.
    public var occurredAt: Timestamp
    /// The statement period it lands on (the open one for a late event of a closed period).
    public var period: BillingPeriod
    /// The closed period a late event belongs to, when it landed on a later one.
    public var adjustmentFor: BillingPeriod?
    /// The journal entry that posted it.
    public var entryId: String
    /// When it was rated.
    public var ratedAt: Timestamp

    /// Creates a rated charge.
    public init(id: String, kind: JournalEntryKind, reverses: String?, eventSource: String, eventId: String, tenant: String, project: String,
                product: String, app: String?, instance: String?, unit: String, unitVersion: Int, quantity: Int64, amount: Money,
                priceBookVersion: Int, unitPrice: Int64, plan: String, policySnapshot: String, occurredAt: Timestamp,
                period: BillingPeriod, adjustmentFor: BillingPeriod?, entryId: String, ratedAt: Timestamp) {
        self.id = id
        self.kind = kind
        self.reverses = reverses
        self.eventSource = eventSource
        self.eventId = eventId
        self.tenant = tenant
        self.project = project
        self.product = product
        self.app = app
        self.instance = instance
        self.unit = unit
        self.unitVersion = unitVersion
        self.quantity = quantity
        self.amount = amount
        self.priceBookVersion = priceBookVersion
        self.unitPrice = unitPrice
        self.plan = plan
        self.policySnapshot = policySnapshot
        self.occurredAt = occurredAt
        self.period = period
        self.adjustmentFor = adjustmentFor
        self.entryId = entryId
        self.ratedAt = ratedAt
    }
}

/// One account's totals in the balance rollup.
public struct AccountBalance: Sendable, Codable, Hashable {
    public var account: LedgerAccountID
    public var kind: LedgerAccountKind
    public var currency: String
    /// Sum of debits (positive postings).
    public var debitsPosted: Int64
    /// Sum of credits (magnitudes of negative postings).
    public var creditsPosted: Int64
    /// On the account's normal side (credits − debits for credit-normal kinds).
    public var balance: Money

    /// Creates a balance line.
    public init(account: LedgerAccountID, kind: LedgerAccountKind, currency: String, debitsPosted: Int64, creditsPosted: Int64, scale: Int) {
        self.account = account
        self.kind = kind
        self.currency = currency
        self.debitsPosted = debitsPosted
        self.creditsPosted = creditsPosted
        self.balance = Money(currency: currency, amount: kind.creditNormal ? creditsPosted - debitsPosted : debitsPosted - creditsPosted,
                             scale: scale)
    }
}

/// A tenant's balances (`appctl billing balance`), read from the rollup and stamped with its
/// as-of time: a rollup older than the staleness budget says so instead of pretending.
public struct BalanceReport: Sendable, Codable, Hashable {
    public var tenant: String
    public var accounts: [AccountBalance]
    /// Promotional credit + prepaid − receivable: what the tenant can still spend (negative: owes).
    public var available: Money
    /// The rollup's as-of time and the last entry it includes.
    public var asOf: Timestamp
    public var throughSeq: Int64
    /// Seconds between ``asOf`` and the read.
    public var ageSeconds: Int64
    /// Whether ``ageSeconds`` is past the rollup's staleness budget.
    public var stale: Bool

    /// Creates a report.
    public init(tenant: String, accounts: [AccountBalance], available: Money, asOf: Timestamp, throughSeq: Int64, ageSeconds: Int64,
                stale: Bool) {
        self.tenant = tenant
        self.accounts = accounts
        self.available = available
        self.asOf = asOf
        self.throughSeq = throughSeq
        self.ageSeconds = ageSeconds
        self.stale = stale
    }
}

/// The result of checking the whole ledger (`appctl ledger verify`, `GET /v1/ledger/verify`).
public struct LedgerVerification: Sendable, Codable, Hashable {
    /// One invariant.
    public struct Check: Sendable, Codable, Hashable {
        /// `entries-balanced`, `ledger-balanced`, `charges-posted-once`, `rollups-match`,
        /// `events-rated-once`.
        public var name: String
        public var passed: Bool
        /// What was checked (`1204 entries`).
        public var detail: String
        /// The first offenders (ids), at most 20.
        public var violations: [String]

        /// Creates a check result.
        public init(name: String, passed: Bool, detail: String, violations: [String]) {
            self.name = name
            self.passed = passed
            self.detail = detail
            self.violations = violations
        }
    }

    /// Every check passed.
    public var passed: Bool
    public var checks: [Check]
    public var entries: Int64
    public var postings: Int64
    public var charges: Int64
    public var checkedAt: Timestamp

    /// Creates a verification result; ``passed`` is derived from the checks.
    public init(checks: [Check], entries: Int64, postings: Int64, charges: Int64, checkedAt: Timestamp) {
        self.passed = checks.allSatisfy(\.passed)
        self.checks = checks
        self.entries = entries
        self.postings = postings
        self.charges = charges
        self.checkedAt = checkedAt
    }
}
