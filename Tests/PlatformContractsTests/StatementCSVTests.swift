import PlatformContracts
import Testing

/// The statement CSV the API and the CLI share.
struct StatementCSVTests {
    static func statement(lines: [Statement.Line]) throws -> Statement {
        let total = lines.reduce(Int64(0)) { $0 + $1.amount.amount }
        return Statement(tenant: "acme", period: try BillingPeriod("2026-12"), status: .open, lines: lines,
                         total: Money(currency: "USD", amount: total, scale: 6), creditApplied: Money(currency: "USD", amount: 0, scale: 6),
                         generatedAt: Timestamp(millisecondsSinceEpoch: 0), closedAt: nil, digest: nil)
    }

    static func line(app: String, amount: Int64, adjustmentFor: BillingPeriod? = nil) -> Statement.Line {
        Statement.Line(project: "web", unit: "app-runtime-hour", app: app, quantity: 1_500_000, displayQuantity: "1.500000",
                       amount: Money(currency: "USD", amount: amount, scale: 6), adjustmentFor: adjustmentFor, charges: 3)
    }

    @Test func statementRendersAHeaderALinePerProjectUnitAppAndCreditAndTotalRows() throws {
        let csv = StatementCSV.render(try Self.statement(lines: [Self.line(app: "shop", amount: 150_000)]))
        let rows = csv.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        #expect(rows == [
            StatementCSV.columns.joined(separator: ","),
            "acme,2026-12,open,line,web,app-runtime-hour,shop,,1500000,1.500000,3,USD,150000,0.150000",
            "acme,2026-12,open,credit,,,,,,,,USD,0,0.000000",
            "acme,2026-12,open,total,,,,,,,,USD,150000,0.150000",
            "",
        ])
    }

    @Test func lateUsageOfAClosedPeriodIsAnAdjustmentRowWithANegativeAmountKept() throws {
        let csv = StatementCSV.render(try Self.statement(lines: [Self.line(app: "shop", amount: -20, adjustmentFor: try BillingPeriod("2026-11"))]))
        #expect(csv.contains("acme,2026-12,open,adjustment,web,app-runtime-hour,shop,2026-11,1500000,1.500000,3,USD,-20,-0.000020\r\n"))
    }

    @Test func fieldsWithCommasQuotesOrFormulaPrefixesAreEscaped() throws {
        let csv = StatementCSV.render(try Self.statement(lines: [Self.line(app: "a,\"b\"", amount: 1), Self.line(app: "=cmd()", amount: 1)]))
        #expect(csv.contains(",\"a,\"\"b\"\"\","))
        #expect(csv.contains(",'=cmd(),"))
    }
}

/// Usage quantities in whole units, exactly.
struct UsageQuantityTextTests {
    @Test func quantitiesAreWholeUnitsRoundedHalfEvenWithoutFloatingPoint() {
        #expect(UsageQuantityText.display(5400, precision: 3600) == "1.500000")
        #expect(UsageQuantityText.display(-1800, precision: 3600) == "-0.500000")
        #expect(UsageQuantityText.display(1, precision: 3600) == "0.000278")
        // 1 / 2_000_000 = 0.0000005: a tie goes to even (0), 3 / 2_000_000 to 0.000002.
        #expect(UsageQuantityText.display(1, precision: 2_000_000) == "0.000000")
        #expect(UsageQuantityText.display(3, precision: 2_000_000) == "0.000002")
        // A GiB-hour of byte-seconds, and a large quantity past Int64 when multiplied by 10⁶.
        #expect(UsageQuantityText.display(3600 << 30, precision: 3600 << 30) == "1.000000")
        #expect(UsageQuantityText.display(Int64.max / 2, precision: 3600 << 30) == "1193046.471111")
        #expect(UsageQuantityText.display(7, precision: 0) == "7")
    }
}
