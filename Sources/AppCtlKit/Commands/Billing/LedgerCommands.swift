import ArgumentParser
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl ledger`: the double-entry ledger's own checks.
public struct LedgerCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "Check the ledger's invariants.", subcommands: [LedgerVerifyCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl ledger verify`: exits 65 (`ledger.verification_failed`) when any check fails, so a
/// script or a cron job can alert on it.
public struct LedgerVerifyCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check every invariant over the whole ledger; exits 65 when one fails (platform admins).",
        discussion: """
            Checks: every entry balances per currency and so does the whole ledger; every rated charge is posted exactly \
            once; the balance rollups equal the sum of postings; every stored usage event is rated once or still queued.
            """)
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Verifies, prints every check, and fails on the first failed one.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let report = try await client.send(Endpoints.verifyLedger)
        context.output(try Renderer(format: global.output).render(report) {
            let rows = report.checks.map { [$0.name, $0.passed ? "ok" : "FAILED", $0.detail] }
            return [TextTable(headers: ["CHECK", "RESULT", "DETAIL"], rows: rows).render(),
                    "\(report.entries) entries, \(report.postings) postings, \(report.charges) charges checked at \(report.checkedAt)"]
                .joined(separator: "\n")
        })
        if let failed = report.checks.first(where: { !$0.passed }) {
            let first = failed.violations.first.map { ": \($0)" } ?? ""
            throw AppCtlError(.ledgerVerificationFailed, "the ledger check \(failed.name) failed\(first)")
        }
        if !report.passed { throw AppCtlError(.ledgerVerificationFailed, "the ledger does not verify") }
    }
}
