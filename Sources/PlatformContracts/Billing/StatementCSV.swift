/// A statement as CSV (RFC 4180, CRLF line ends): one header, a row per line, then the
/// promotional credit applied and the total. It lives in the contracts so the API's
/// `?format=csv` and `appctl billing statement --output csv` write the same bytes.
///
/// ```
/// tenant,period,status,kind,project,unit,app,adjustment_for,quantity,display_quantity,charges,currency,amount,display_amount
/// acme,2026-12,open,line,web,app-runtime-hour,shop,,1500000,1.500000,3,USD,150000,0.150000
/// acme,2026-12,open,credit,,,,,,,,USD,0,0.000000
/// acme,2026-12,open,total,,,,,,,,USD,150000,0.150000
/// ```
public enum StatementCSV {
    /// The header row's columns, in order.
    public static let columns = [
        "tenant", "period", "status", "kind", "project", "unit", "app", "adjustment_for", "quantity", "display_quantity", "charges",
        "currency", "amount", "display_amount",
    ]

    /// The statement as CSV text. Lines of late usage of a closed period are `adjustment` rows
    /// (with `adjustment_for`), the rest `line` rows; the last two rows are `credit` and `total`.
    public static func render(_ statement: Statement) -> String {
        var rows: [[String]] = [columns]
        let head = [statement.tenant, statement.period.description, statement.status.rawValue]
        for line in statement.lines {
            rows.append(head + [
                line.adjustmentFor == nil ? "line" : "adjustment", text(line.project), text(line.unit), text(line.app),
                line.adjustmentFor?.description ?? "", String(line.quantity), line.displayQuantity, String(line.charges),
                line.amount.currency, String(line.amount.amount), line.amount.display,
            ])
        }
        for (kind, money) in [("credit", statement.creditApplied), ("total", statement.total)] {
            rows.append(head + [kind, "", "", "", "", "", "", "", money.currency, String(money.amount), money.display])
        }
        return rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// Quotes a field that holds a comma, a quote or a line break, doubling its quotes.
    static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    /// A text cell a spreadsheet would read as a formula (`=`, `+`, `@`, tab) gets a leading
    /// apostrophe, so a crafted id cannot run in the reader's spreadsheet. Numbers are never
    /// passed through here (a negative amount stays `-1.000000`).
    static func text(_ value: String) -> String {
        guard let first = value.first, "=+@\t\r".contains(first) else { return value }
        return "'" + value
    }
}
