import PlatformContracts
import PlatformStore
import SQLKit

/// Promotional credit granted by platform admins (the route checks who may).
extension BillingService {
    /// Posts a grant as one journal entry `credit/<grant id>`: debit the platform's promotions
    /// expense, credit the tenant's promotional-credit account (which rating draws first), with
    /// its `billing.credit.grant` audit record in the same transaction. A retried grant (same
    /// id, tenant and amount) returns the entry already posted and writes nothing; the same id
    /// with another tenant or amount is refused.
    /// - Throws: ``ErrorCode/billingAmountInvalid`` (not positive, or not the price book's
    ///   currency and scale), ``ErrorCode/storeConflict`` (the id was used for another grant),
    ///   ``ErrorCode/billingPriceMissing`` (no price book), ``ErrorCode/policyStale``.
    public func grantCredit(_ grant: CreditGrant, by actor: String) async throws -> JournalEntry {
        guard grant.amount.amount > 0 else {
            throw PlatformError(.billingAmountInvalid, "a credit grant must be above zero, not \(grant.amount.display)",
                                details: ["amount": grant.amount.display])
        }
        guard !grant.id.isEmpty, !grant.tenant.isEmpty else {
            throw PlatformError(.httpParameterInvalid, "a credit grant needs an id (its idempotency key) and a tenant")
        }
        let snapshot = try await policy.snapshot(for: .financial)
        guard let book = snapshot.priceBook else {
            throw PlatformError(.billingPriceMissing, "the policy snapshot \(snapshot.id) has no price book, so credit has no currency yet")
        }
        guard grant.amount.currency == book.currency, grant.amount.scale == book.assetScale else {
            throw PlatformError(.billingAmountInvalid,
                                "credit is granted in the price book's \(book.currency) at scale \(book.assetScale), not \(grant.amount.currency) at scale \(grant.amount.scale)",
                                details: ["currency": grant.amount.currency, "expected": book.currency])
        }
        let id = Self.creditEntryID(grant.id)
        let postings = [
            Posting(account: .promotionsExpense, currency: book.currency, amount: grant.amount.amount),
            Posting(account: .tenant(grant.tenant, .promotionalCredit), currency: book.currency, amount: -grant.amount.amount),
        ]
        let (audit, backend, now) = (self.audit, store.backend, clock.now())
        return try await store.transaction { db in
            if let posted = try await LedgerWriter.post(id: id, kind: .creditGrant, tenant: grant.tenant, reference: "grant/\(grant.id)",
                                                        memo: grant.reason, postings: postings, by: actor, at: now, in: db, backend: backend) {
                try await audit.append(AuditEvent(
                    actor: PrincipalID(actor), action: "billing.credit.grant", target: "tenant/\(grant.tenant)", outcome: .success,
                    details: ["grant": grant.id, "entry": id, "amount": grant.amount.display, "currency": book.currency,
                              "reason": String(grant.reason.prefix(300)), "policy_snapshot": snapshot.id]),
                    tenant: grant.tenant, in: db)
                return posted
            }
            let existing = try await Self.grantEntry(id, in: db)
            guard let existing, existing.tenant == grant.tenant, existing.kind == .creditGrant, existing.postings == postings else {
                throw PlatformError(.storeConflict, "credit grant \(grant.id) was already posted with another tenant or amount; grant ids are never reused",
                                    details: ["grant": grant.id])
            }
            return existing
        }
    }

    /// `credit/<grant id>`: the journal entry id of a grant, its idempotency key.
    static func creditEntryID(_ grant: String) -> String { "credit/\(grant)" }

    /// One journal entry with its postings in order, read on `db`.
    static func grantEntry(_ id: String, in db: any SQLDatabase) async throws -> JournalEntry? {
        guard let row = try await db.raw("SELECT * FROM ledger_entries WHERE id = \(bind: id)").first() else { return nil }
        let postings = try await db.raw("""
            SELECT account_id, currency, amount FROM ledger_postings WHERE entry_id = \(bind: id) ORDER BY idx
            """).all().map { posting in
            Posting(account: LedgerAccountID(rawValue: try posting.decode(column: "account_id", as: String.self)),
                    currency: try posting.decode(column: "currency", as: String.self), amount: try posting.decode(column: "amount", as: Int64.self))
        }
        return JournalEntry(
            id: id, seq: try row.decode(column: "seq", as: Int64.self),
            kind: JournalEntryKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .creditGrant,
            tenant: try row.decode(column: "tenant_id", as: String.self), reference: try row.decode(column: "reference", as: String.self),
            memo: try row.decode(column: "memo", as: String?.self), postings: postings,
            postedAt: Timestamp(rfc3339: try row.decode(column: "posted_at", as: String.self)) ?? Timestamp(millisecondsSinceEpoch: 0))
    }
}
