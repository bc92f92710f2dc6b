import PlatformContracts

/// Prices one usage event under one policy snapshot: the tenant's plan, the snapshot's price
/// book and the unit's precision. Pure, so a failure (no price, unknown unit, overflow) is
/// known before the rating transaction writes anything for the event, and the event stays
/// queued with the reason instead of being skipped or half-posted.
struct ChargePricing: Sendable {
    /// What an event costs and who pays it.
    struct Priced: Sendable, Hashable {
        var plan: String
        var priceBookVersion: Int
        var currency: String
        var assetScale: Int
        var unitPrice: Int64
        var amount: Int64
        /// The tenant pays in advance (charges draw down `prepaid`), else is invoiced (`receivable`).
        var prepaid: Bool
    }

    let snapshot: PolicySnapshot
    let units: UsageUnitRegistry

    /// The event's price at its `occurredAt`.
    /// - Throws: ``ErrorCode/billingPriceMissing`` (no price book in the snapshot, or no entry
    ///   for the plan and unit at that time), ``ErrorCode/usageUnitUnknown``,
    ///   ``ErrorCode/billingAmountInvalid`` (the amount does not fit 64 bits).
    func price(_ event: UsageEvent) throws(PlatformError) -> Priced {
        let plan = snapshot.plan(of: event.tenant)
        guard let book = snapshot.priceBook else {
            throw PlatformError(.billingPriceMissing, "policy snapshot \(snapshot.id) has no price book",
                                details: ["snapshot": snapshot.id])
        }
        guard let unit = units.unit(event.unit) else {
            throw PlatformError(.usageUnitUnknown, "usage unit \(event.unit) is not in the usage-unit registry", details: ["unit": event.unit])
        }
        guard let entry = book.price(plan: plan, unit: event.unit, at: event.occurredAt) else {
            throw PlatformError(.billingPriceMissing,
                                "price book \(book.version) has no price for \(event.unit) on \(plan) at \(event.occurredAt.rfc3339)",
                                details: ["unit": event.unit, "plan": plan, "price_book_version": String(book.version)])
        }
        guard let amount = PriceBook.amount(quantity: event.quantity, unitPrice: entry.unitPrice, precision: unit.precision) else {
            throw PlatformError(.billingAmountInvalid, "\(event.quantity) \(event.unit) at \(entry.unitPrice) does not fit a 64-bit amount",
                                details: ["unit": event.unit])
        }
        let prepaid: Bool
        if case .flag(let value)? = try? snapshot.resolve("billing.prepaid", project: event.project.description, tenant: event.tenant).value {
            prepaid = value
        } else {
            prepaid = false
        }
        return Priced(plan: plan, priceBookVersion: book.version, currency: book.currency, assetScale: book.assetScale,
                      unitPrice: entry.unitPrice, amount: amount, prepaid: prepaid)
    }

    /// The postings of a charge of `amount` (≥ 0): the tenant's promotional credit pays first
    /// (up to `promotionalCredit`, its live balance), the rest draws down prepaid or raises
    /// the receivable; the product's revenue is credited the whole amount. Zero legs are left
    /// out, except that the tenant and revenue legs always exist, so every entry has two.
    static func postings(amount: Int64, currency: String, tenant: String, product: String, prepaid: Bool, promotionalCredit: Int64) -> [Posting] {
        let fromCredit = min(max(promotionalCredit, 0), amount)
        var postings: [Posting] = []
        if fromCredit > 0 { postings.append(Posting(account: .tenant(tenant, .promotionalCredit), currency: currency, amount: fromCredit)) }
        if amount - fromCredit > 0 || fromCredit == 0 {
            postings.append(Posting(account: .tenant(tenant, prepaid ? .prepaid : .receivable), currency: currency, amount: amount - fromCredit))
        }
        postings.append(Posting(account: .revenue(product: product), currency: currency, amount: -amount))
        return postings
    }
}
