import Foundation
import PlatformContracts
import PlatformStore
import SQLKit

extension BillingService {
    /// A tenant's balances from the rollup (``BalanceRollup``), never from a live sum: reading
    /// is one indexed lookup whatever the ledger's size. The report carries the rollup's as-of
    /// time, the last entry it includes and its age, and says `stale` once the age passes
    /// ``balanceStalenessBudget`` — a stalled rollup is visible, not hidden.
    public func balance(tenant: String) async throws -> BalanceReport {
        let now = clock.now()
        let (state, rows) = try await store.read { db in
            let state = try await BalanceRollup.state(db)
            let rows = try await db.raw("""
                SELECT account_id, currency, debits, credits FROM ledger_balances
                WHERE account_id LIKE \(bind: "tenant/\(Self.likeEscaped(tenant))/%") ESCAPE '\\'
                ORDER BY account_id, currency
                """).all()
            return (state, rows)
        }
        // The price book says which currency and scale amounts are in; the balances still
        // answer (in the book's defaults) while the policy snapshot cannot be read.
        let book = (try? await policy.snapshot(for: .financial))?.priceBook
        let assetScale = book?.assetScale ?? 6
        var accounts: [AccountBalance] = []
        for row in rows {
            let account = LedgerAccountID(rawValue: try row.decode(column: "account_id", as: String.self))
            guard let kind = LedgerWriter.kind(of: account) else { continue }
            accounts.append(AccountBalance(
                account: account, kind: kind, currency: try row.decode(column: "currency", as: String.self),
                debitsPosted: try row.decode(column: "debits", as: Int64.self), creditsPosted: try row.decode(column: "credits", as: Int64.self),
                scale: assetScale))
        }
        let currency = accounts.first?.currency ?? book?.currency ?? "USD"
        let available = accounts.filter { $0.currency == currency }.reduce(Int64(0)) { total, line in
            line.kind == .receivable ? total - line.balance.amount : total + line.balance.amount
        }
        let age = BalanceRollup.age(of: state, at: now)
        return BalanceReport(
            tenant: tenant, accounts: accounts, available: Money(currency: currency, amount: available, scale: assetScale),
            asOf: state.asOf ?? Timestamp(millisecondsSinceEpoch: 0), throughSeq: state.throughSeq,
            ageSeconds: BalanceRollup.milliseconds(age) / 1000, stale: state.asOf == nil || age > balanceStalenessBudget)
    }

    /// Every invariant over the whole ledger, in one snapshot (``LedgerVerifier``).
    public func verify() async throws -> LedgerVerification {
        try await LedgerVerifier.verify(store: store, at: clock.now())
    }

    /// `tenant` with LIKE's wildcards escaped, so a tenant id never matches another's accounts.
    static func likeEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}
