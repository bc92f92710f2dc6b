import AppCtlKit
import Foundation
import PlatformAPI
import PlatformContracts
import PlatformTestKit
import Testing

/// `appctl usage`, `appctl billing` and `appctl ledger` against a live server: a product's
/// batch from a file, the summary, the statement (its CSV is StatementCSV's bytes), balance,
/// credit, budgets, entries and the ledger check; bad input is a usage error before any request.
@Suite("appctl usage, billing and ledger", .tags(.integration))
struct BillingCommandTests {
    @Test("ingest a file as token-factory, then summary, statement (table, json, csv), balance, credit, budgets, entries and ledger verify")
    func billingFlow() async throws {
        try await withTemporaryDirectory { directory async throws in
            let appctl = CommandHarness(directory: directory)
            try await withServer(directory) { url async throws in
                let keyFile = directory.appending("server/bootstrap-admin.key").path
                #expect(await appctl.run("context", "add", "local", "--server", url).exitCode == 0)
                #expect(await appctl.run("login", "--key-file", keyFile).exitCode == 0)
                #expect(await appctl.run("tenant", "create", "acme").exitCode == 0)
                #expect(await appctl.run("project", "create", "chat", "--tenant", "acme").exitCode == 0)

                let now = Timestamp.now()
                let file = directory.appending("events.json").path
                let events = [UsageEventInput(id: "req-1", unit: "inference.token", quantity: 1500, project: "acme/chat", app: "chat", occurredAt: now),
                              UsageEventInput(id: "req-2", unit: "inference.token", quantity: 500, project: "acme/chat", app: "chat", occurredAt: now)]
                try JSONEncoder().encode(events).write(to: URL(fileURLWithPath: file))

                let ingested = await appctl.run("usage", "ingest", file, "--source", "token-factory")
                #expect(ingested.exitCode == 0 && ingested.output.contains("req-1") && ingested.output.contains("accepted"), "\(ingested.errorOutput)")
                let again = await appctl.run("usage", "ingest", file, "--source", "token-factory", "-o", "json")
                let report = try JSONDecoder().decode(UsageIngestReport.self, from: Data(again.output.utf8))
                #expect(report.results.map(\.outcome) == [.duplicate, .duplicate])
                #expect(await appctl.run("usage", "ingest", file).exitCode == 64, "a bare list needs --source")

                #expect(await appctl.run("usage", "summary").exitCode == 64)
                #expect(await appctl.run("usage", "summary", "--project", "acme/chat", "--group-by", "week").exitCode == 64)
                #expect(await appctl.run("usage", "summary", "--project", "acme/chat", "--since", "yesterday").exitCode == 64)
                let summary = await appctl.run("usage", "summary", "--project", "acme/chat", "--since", "1d", "--group-by", "app")
                #expect(summary.exitCode == 0 && summary.output.contains("inference.token") && summary.output.contains("chat"), "\(summary.errorOutput)")

                // Rating runs in the background: wait for the statement line.
                let period = BillingPeriod(containing: now).description
                var statement: Statement?
                for _ in 0..<150 {
                    let shown = await appctl.run("billing", "statement", "--tenant", "acme", "--period", period, "-o", "json")
                    if shown.exitCode == 0, let decoded = try? JSONDecoder().decode(Statement.self, from: Data(shown.output.utf8)),
                       decoded.lines.contains(where: { $0.unit == "inference.token" && $0.quantity == 2000 }) {
                        statement = decoded
                        break
                    }
                    try await Task.sleep(for: .milliseconds(200))
                }
                let rated = try #require(statement, "the batch was not rated onto the statement in time")
                let csv = await appctl.run("billing", "statement", "--tenant", "acme", "--period", period, "--output", "csv")
                #expect(csv.exitCode == 0 && csv.output.trimmingCharacters(in: .newlines) == StatementCSV.render(rated).trimmingCharacters(in: .newlines), "\(csv.output)")
                let table = await appctl.run("billing", "statement", "--tenant", "acme", "--period", period)
                #expect(table.output.contains("inference.token") && table.output.contains("total: \(rated.total.display) USD"), "\(table.output)")
                #expect(await appctl.run("billing", "statement", "--tenant", "acme", "--period", "2026-13").exitCode == 64)
                // Closing the month before: stored with a digest, and closing again answers the same document.
                let previous = BillingPeriod(containing: now).previous.description
                let closed = await appctl.run("billing", "statement", "--tenant", "acme", "--period", previous, "--close", "-o", "json")
                #expect(closed.exitCode == 0, "\(closed.errorOutput)")
                let first = try JSONDecoder().decode(Statement.self, from: Data(closed.output.utf8))
                #expect(first.status == .closed && first.digest != nil)
                let reclosed = await appctl.run("billing", "statement", "--tenant", "acme", "--period", previous, "--close", "-o", "json")
                #expect(try JSONDecoder().decode(Statement.self, from: Data(reclosed.output.utf8)).digest == first.digest)

                let balance = await appctl.run("billing", "balance", "--tenant", "acme")
                #expect(balance.exitCode == 0 && balance.output.contains("as of"), "\(balance.errorOutput)")

                #expect(await appctl.run("billing", "credit", "grant", "--tenant", "acme", "--amount", "abc", "--reason", "x").exitCode == 64)
                let credit = await appctl.run("billing", "credit", "grant", "--tenant", "acme", "--amount", "25.00", "--reason", "welcome",
                                              "--id", "welcome-acme")
                #expect(credit.exitCode == 0 && credit.output.contains("credit-grant"), "\(credit.errorOutput)")

                #expect(await appctl.run("billing", "budget", "set", "--tenant", "acme", "--project", "acme/chat", "--limit", "1").exitCode == 64)
                #expect(await appctl.run("billing", "budget", "set", "--tenant", "acme", "--limit", "1", "--thresholds", "a,b").exitCode == 64)
                let budget = await appctl.run("billing", "budget", "set", "--project", "acme/chat", "--limit", "100", "--thresholds", "50,100")
                #expect(budget.exitCode == 0 && budget.output.contains("100.000000"), "\(budget.errorOutput)")
                let budgets = await appctl.run("billing", "budget", "list", "--tenant", "acme")
                #expect(budgets.exitCode == 0 && budgets.output.contains("project"), "\(budgets.errorOutput)")
                #expect(await appctl.run("billing", "budget", "remove", "--project", "acme/chat").exitCode == 0)

                let entries = await appctl.run("billing", "entries", "--tenant", "acme")
                #expect(entries.exitCode == 0 && entries.output.contains("charge") && entries.output.contains("credit-grant"), "\(entries.output)")

                let verified = await appctl.run("ledger", "verify")
                #expect(verified.exitCode == 0 && verified.output.contains("entries-balanced"), "\(verified.output) \(verified.errorOutput)")
                #expect(await appctl.run("ledger", "verify", "-o", "csv").exitCode == 64, "csv is for statements and summaries only")
            }
        }
    }
}
