import PlatformContracts
import PlatformStore
import SQLKit

extension RatingWorker {
    /// Where a charge lands: a period whose statement is closed takes no new lines, so a late
    /// event (or the reversal of a closed period's charge) lands on the first open period from
    /// the rating time on, marked as an adjustment for its own.
    struct Placement: Hashable {
        var period: BillingPeriod
        var adjustmentFor: BillingPeriod?
    }

    /// One (tenant, project, period) whose spending changed in a pass: its budgets are checked.
    struct Touched: Hashable {
        var tenant: String
        var project: String
        var period: BillingPeriod
    }

    /// The whole pass in one transaction, under ``BillingLock``. What it reads is read once
    /// per pass (``RatingPassState/preload(_:in:)``) and what it writes is written as
    /// multi-row statements at the end (and before each correction, which reads the ledger),
    /// so a pass costs a handful of round trips however many events it rates.
    /// - Returns: The lag of each event rated, and how many claimed events stayed queued.
    func ratePass(snapshot: PolicySnapshot, now: Timestamp) async throws -> (lags: [Duration], waiting: Int) {
        let backend = store.backend
        let pricing = ChargePricing(snapshot: snapshot, units: units)
        return try await store.transaction { db in
            try await BillingLock.acquire(db, backend: backend)
            var remaining = try await RatingQueue.claim(limit: batchSize, in: db, backend: backend)
            let claimed = Set(remaining.map(\.key))
            var state = RatingPassState()
            try await state.preload(remaining, in: db)
            var attempted = Set<String>()
            var lags: [Duration] = []
            var waiting = 0
            var touched: [Touched] = []
            // Rounds: a correction whose chain still has an earlier event queued in this batch
            // waits for a later round, so a chain is rated in the order it was recorded.
            while !remaining.isEmpty {
                var deferred: [RatingQueue.Item] = []
                for item in remaining {
                    // A correction reads the queue and the ledger: what the pass holds is written first.
                    if item.event.corrects != nil { try await state.flush(in: db, backend: backend, clock: clock) }
                    switch try await blocker(of: item, claimed: claimed, attempted: attempted, in: db) {
                    case .inBatch:
                        deferred.append(item)
                        continue
                    case .outsideBatch(let reason):
                        attempted.insert(item.key)
                        waiting += 1
                        try await RatingQueue.markWaiting(source: item.event.source, id: item.event.id, reason: reason, in: db)
                        continue
                    case nil:
                        break
                    }
                    attempted.insert(item.key)
                    do {
                        let places = try await rate(item, pricing: pricing, snapshot: snapshot, now: now, state: &state, in: db)
                        touched.append(contentsOf: places)
                        lags.append(.milliseconds(max(0, Int64(now.millisecondsSinceEpoch) - item.recordedMs)))
                    } catch let error as PlatformError where Self.leavesQueued(error.code) {
                        waiting += 1
                        try await RatingQueue.markWaiting(source: item.event.source, id: item.event.id,
                                                          reason: "\(error.code.rawValue): \(error.message)", in: db)
                    }
                }
                if deferred.count == remaining.count {
                    // A cycle cannot happen (a correction names an earlier event), but never spin.
                    for item in deferred {
                        waiting += 1
                        try await RatingQueue.markWaiting(source: item.event.source, id: item.event.id,
                                                          reason: "waiting for its correction chain", in: db)
                    }
                    break
                }
                remaining = deferred
            }
            try await state.flush(in: db, backend: backend, clock: clock)
            var seen = Set<Touched>()
            for place in touched where seen.insert(place).inserted {
                try await BudgetThresholds.evaluate(tenant: place.tenant, project: place.project, period: place.period, at: now, in: db)
            }
            return (lags, waiting)
        }
    }

    /// Rating failures that leave the event queued for a later pass; anything else (the
    /// database) fails the whole transaction.
    static func leavesQueued(_ code: ErrorCode) -> Bool {
        [.billingPriceMissing, .usageUnitUnknown, .billingAmountInvalid].contains(code)
    }

    enum Blocker {
        /// An earlier event of its chain is claimed in this pass and not rated yet.
        case inBatch
        /// An earlier event of its chain waits outside this pass (or failed in it).
        case outsideBatch(String)
    }

    /// Whether a correction must wait: while an event it corrects (directly or through earlier
    /// corrections) is still queued, or another correction of its chain recorded before it is,
    /// it is not its turn. Its own corrections never hold it back.
    func blocker(of item: RatingQueue.Item, claimed: Set<String>, attempted: Set<String>, in db: any SQLDatabase) async throws -> Blocker? {
        guard item.event.corrects != nil else { return nil }
        let source = item.event.source
        let ancestors = try await RatedChargeRows.ancestors(of: item.event.id, source: source, in: db)
        let descendants = try await RatedChargeRows.descendants(of: [item.event.id], source: source, in: db)
        let root = ancestors.last ?? item.event.id
        let members = try await RatedChargeRows.descendants(of: [root], source: source, in: db).union([root])
        for member in members.sorted() where member != item.event.id && !descendants.contains(member) {
            guard let since = try await RatingQueue.queuedSince(source: source, id: member, in: db),
                  ancestors.contains(member) || since < item.recordedMs
            else { continue }
            let key = "\(source)/\(member)"
            if claimed.contains(key) && !attempted.contains(key) { return .inBatch }
            return .outsideBatch("waiting for \(member) of its correction chain to be rated")
        }
        return nil
    }

    /// Rates one event: reverses the charge in effect when it is a correction, charges it,
    /// and queues its posting, announcement and queue row removal in `state`. Pricing fails
    /// before anything is queued, so an event left waiting leaves nothing behind.
    /// - Returns: The (tenant, project, period)s whose spending changed.
    func rate(_ item: RatingQueue.Item, pricing: ChargePricing, snapshot: PolicySnapshot, now: Timestamp,
              state: inout RatingPassState, in db: any SQLDatabase) async throws -> [Touched] {
        let event = item.event
        if state.alreadyCharged(source: event.source, id: event.id) {
            // Rated by an earlier pass whose queue delete did not happen (cannot, in one
            // transaction — but never charge twice): only drop the row.
            state.remove(source: event.source, id: event.id)
            return []
        }
        let priced = try pricing.price(event)
        var touched: [Touched] = []
        if event.corrects != nil,
           let effective = try await RatedChargeRows.effectiveCharge(ofChainOf: event.id, source: event.source, in: db) {
            let reversal = try await reverse(effective, by: event, now: now, recordedMs: item.recordedMs, state: &state, in: db)
            touched.append(Touched(tenant: reversal.tenant, project: reversal.project, period: reversal.period))
        }
        let placement = try await place(BillingPeriod(containing: event.occurredAt), tenant: event.tenant, now: now, state: &state, in: db)
        let chargeId = "\(event.source)/\(event.id)/\(JournalEntryKind.charge.rawValue)"
        let charge = RatedCharge(
            id: chargeId, kind: .charge, reverses: nil, eventSource: event.source, eventId: event.id, tenant: event.tenant,
            project: event.project.rawValue, product: event.product, app: event.app, instance: event.instance, unit: event.unit,
            unitVersion: event.unitVersion, quantity: event.quantity,
            amount: Money(currency: priced.currency, amount: priced.amount, scale: priced.assetScale),
            priceBookVersion: priced.priceBookVersion, unitPrice: priced.unitPrice, plan: priced.plan, policySnapshot: snapshot.id,
            occurredAt: event.occurredAt, period: placement.period, adjustmentFor: placement.adjustmentFor, entryId: "charge/\(chargeId)",
            ratedAt: now)
        let credit = try await state.promotionalCredit(tenant: event.tenant, currency: priced.currency, in: db)
        let postings = ChargePricing.postings(amount: priced.amount, currency: priced.currency, tenant: event.tenant, product: event.product,
                                              prepaid: priced.prepaid, promotionalCredit: credit)
        try state.record(charge, postings: postings, recordedMs: item.recordedMs)
        touched.append(Touched(tenant: charge.tenant, project: charge.project, period: charge.period))
        state.remove(source: event.source, id: event.id)
        return touched
    }

    /// The reversal of `effective` caused by the correcting event: the negated charge and the
    /// mirror of its entry's postings (so promotional credit it used comes back). Reads the
    /// ledger, so `state` was flushed before the correction.
    func reverse(_ effective: RatedCharge, by event: UsageEvent, now: Timestamp, recordedMs: Int64, state: inout RatingPassState,
                 in db: any SQLDatabase) async throws -> RatedCharge {
        let id = "\(event.source)/\(event.id)/\(JournalEntryKind.reversal.rawValue)"
        let placement = try await place(effective.adjustmentFor ?? effective.period, tenant: effective.tenant, now: now, state: &state, in: db)
        var reversal = effective
        reversal.id = id
        reversal.kind = .reversal
        reversal.reverses = effective.id
        reversal.eventId = event.id
        reversal.quantity = -effective.quantity
        reversal.amount = Money(currency: effective.amount.currency, amount: -effective.amount.amount, scale: effective.amount.scale)
        reversal.period = placement.period
        reversal.adjustmentFor = placement.adjustmentFor
        reversal.entryId = "charge/\(id)"
        reversal.ratedAt = now
        let rows = try await db.raw("""
            SELECT account_id, currency, amount FROM ledger_postings WHERE entry_id = \(bind: effective.entryId) ORDER BY idx
            """).all()
        let mirrored = try rows.map { row in
            Posting(account: LedgerAccountID(rawValue: try row.decode(column: "account_id", as: String.self)),
                    currency: try row.decode(column: "currency", as: String.self), amount: -(try row.decode(column: "amount", as: Int64.self)))
        }
        try state.record(reversal, postings: mirrored, recordedMs: recordedMs)
        return reversal
    }

    /// The period a charge of `natural` lands on: itself while its statement is open, else
    /// the first open period from the rating time on, as an adjustment for `natural`.
    func place(_ natural: BillingPeriod, tenant: String, now: Timestamp, state: inout RatingPassState,
               in db: any SQLDatabase) async throws -> Placement {
        guard try await state.isClosed(natural, tenant: tenant, in: db) else { return Placement(period: natural, adjustmentFor: nil) }
        var landing = max(BillingPeriod(containing: now), natural)
        while try await state.isClosed(landing, tenant: tenant, in: db) { landing = BillingPeriod(containing: landing.end) }
        return Placement(period: landing, adjustmentFor: natural)
    }
}
