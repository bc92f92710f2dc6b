import PlatformContracts

/// The reference model the property test holds the ledger to: what a correct billing system
/// has charged after a stream of usage batches, computed without a database.
///
/// Events are keyed by (source, id); a duplicate with the same payload changes nothing, with
/// another payload refuses its whole batch, as does an event older than the late window. A
/// correction joins the chain of the event it corrects, and a chain is billed exactly once, at
/// the price of its most recently recorded event. Promotional credit reduces what a tenant
/// owes but never the revenue.
struct LedgerReferenceModel {
    struct Key: Hashable, Comparable {
        var source: String
        var id: String
        static func < (lhs: Key, rhs: Key) -> Bool { (lhs.source, lhs.id) < (rhs.source, rhs.id) }
    }

    let units: UsageUnitRegistry
    let lateWindowMs: UInt64
    /// Every stored event, in recording order.
    private(set) var events: [Key: UsageEvent] = [:]
    private(set) var order: [Key] = []
    /// Each event's chain root.
    private(set) var root: [Key: Key] = [:]
    /// Each chain's most recently recorded event.
    private(set) var head: [Key: Key] = [:]
    /// Statements closed: their periods take no new lines, so later usage of them is an adjustment.
    struct Closed: Hashable {
        var tenant: String
        var period: BillingPeriod
    }
    private(set) var closed: Set<Closed> = []
    /// Promotional credit granted per tenant.
    private(set) var grants: [String: Int64] = [:]

    /// What ingesting `batch` at `now` must do: the outcome per event, or the refusal's code.
    enum Answer: Equatable {
        case stored([UsageIngestOutcome])
        case refused(ErrorCode)
    }

    /// Applies a batch the way the usage log must, returning the expected answer.
    mutating func ingest(_ batch: [UsageEvent], now: Timestamp) -> Answer {
        var outcomes: [UsageIngestOutcome] = []
        var fresh: [UsageEvent] = []
        // The batch's own checks come first, over every event; then the stored ones.
        if batch.contains(where: { $0.occurredAt.millisecondsSinceEpoch + lateWindowMs < now.millisecondsSinceEpoch }) {
            return .refused(.usageTooLate)
        }
        for event in batch {
            let key = Key(source: event.source, id: event.id)
            if let stored = events[key] {
                guard stored == event else { return .refused(.usageEventConflict) }
                outcomes.append(.duplicate)
                continue
            }
            if let target = event.corrects, events[Key(source: event.source, id: target)] == nil,
               !fresh.contains(where: { $0.source == event.source && $0.id == target }) {
                return .refused(.usageCorrectionUnknown)
            }
            fresh.append(event)
            outcomes.append(closed.contains(Closed(tenant: event.tenant, period: BillingPeriod(containing: event.occurredAt))) ? .adjustment : .accepted)
        }
        for event in fresh {
            let key = Key(source: event.source, id: event.id)
            events[key] = event
            order.append(key)
            let chain = event.corrects.flatMap { root[Key(source: event.source, id: $0)] } ?? key
            root[key] = chain
            head[chain] = key
        }
        return .stored(outcomes)
    }

    mutating func close(_ tenant: String, _ period: BillingPeriod) { closed.insert(Closed(tenant: tenant, period: period)) }

    mutating func grant(_ tenant: String, _ amount: Int64) { grants[tenant, default: 0] += amount }

    /// The events billed: each chain's head.
    var billed: [Key] { head.values.sorted() }

    /// The price of one event.
    func amount(_ key: Key, book: PriceBook) -> Int64 {
        let event = events[key]!
        let entry = book.price(plan: "plan.test", unit: event.unit, at: event.occurredAt)!
        return PriceBook.amount(quantity: event.quantity, unitPrice: entry.unitPrice, precision: units.unit(event.unit)!.precision)!
    }

    /// Total billed per tenant and per product.
    func totals(book: PriceBook) -> (tenants: [String: Int64], products: [String: Int64]) {
        var tenants: [String: Int64] = [:]
        var products: [String: Int64] = [:]
        for key in billed {
            let event = events[key]!
            let amount = amount(key, book: book)
            tenants[event.tenant, default: 0] += amount
            products[event.product, default: 0] += amount
        }
        return (tenants, products)
    }
}
