import ArgumentParser
import Foundation
import PlatformAPI
import PlatformClient
import PlatformContracts
import TransparencyLog

/// `appctl audit verify [FILE] [--key VKEY|FILE] [--pin-key]`.
public struct AuditVerifyCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Recompute the hash chain and every signed checkpoint; name every bad record.",
        discussion: """
            With FILE the check runs offline. Without it the log is exported from the server and, as a \
            Certificate Transparency monitor does, checked against the checkpoint verified last time: the \
            server must prove (RFC 6962 consistency proof) that today's log extends it, so deleted newest \
            records or a rewritten history fail with audit.log_inconsistent. That checkpoint, and a pinned \
            key, are kept per server in audit-monitor.json beside the config file. Until a key is pinned \
            (--pin-key, or --key) the checkpoints are checked against the key the server sends, and a warning \
            says so; once pinned, checkpoints signed by another key fail with audit.key_mismatch. Exits 65 \
            when the log does not verify.
            """)
    @Argument(help: "An export written by `appctl audit export`.") var file: String?
    @Option(name: .long, help: ArgumentHelp(
        "Trust this verifier key (C2SP vkey text, or a file holding it) instead of the one the server sends.", valueName: "vkey|file"))
    var key: String?
    @Flag(name: .customLong("pin-key"), help: "Remember the verifying key for this server; later checkpoints signed by another key fail.")
    var pinKey = false
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Verifies and reports.
    public func run(in context: CommandContext) async throws {
        let explicitKey = try key.map(Self.readKey)
        guard let file else { return try await verifyServer(explicitKey: explicitKey, in: context) }
        guard let contents = FileManager.default.contents(atPath: file) else {
            throw AppCtlError(.clientConfigInvalid, "cannot read \(file)")
        }
        if explicitKey == nil {
            context.errorOutput("warning: no --key given: checkpoints are checked against the key inside \(file), which whoever wrote the file chose.")
        }
        let export = try Self.decode(contents)
        let report = AuditLogVerifier.verify(export, trustedKey: explicitKey)
        try finish(report, consistency: nil, in: context)
    }

    /// Online: export, verify, demand consistency with the remembered checkpoint, remember.
    func verifyServer(explicitKey: String?, in context: CommandContext) async throws {
        let target = try ServerTarget.resolve(global, in: context)
        let client = PlatformClient(target: target)
        let statePath = AuditMonitorState.path(besideConfig: context.configPath)
        var state = try AuditMonitorState.load(from: statePath)
        let remembered = state.servers[target.server]
        let export = try Self.decode(try await client.sendRaw(Endpoints.exportAudit).body)
        let trustedKey = explicitKey ?? remembered?.pinnedKey
        if let trustedKey, trustedKey != export.verifierKey {
            let message = "the server's checkpoint key \(export.verifierKey) is not the \(explicitKey == nil ? "pinned" : "given") key \(trustedKey)"
                + (explicitKey == nil ? " (pinned in \(statePath)); if the server's key was rotated on purpose, pin the new one with --key NEW --pin-key" : "")
            try output(failure: message, report: AuditVerificationReport(valid: false, entries: 0, checkpointsVerified: 0), in: context)
            throw AppCtlError(.auditKeyMismatch, message)
        }
        if trustedKey == nil && !pinKey {
            context.errorOutput("warning: the checkpoint key is not pinned: the log is checked against the key the server sends, so whoever holds the server's data directory could re-sign a rewritten log. Pin it once, over a connection you trust, with `appctl audit verify --pin-key` (or pass --key).")
        }
        let report = AuditLogVerifier.verify(export, trustedKey: trustedKey)
        guard report.valid else { return try finish(report, consistency: nil, in: context) }
        guard let latest = report.latestCheckpoint else {
            throw AppCtlError(.auditVerificationFailed, "the export carries no signed checkpoint to remember")
        }
        var note: String?
        if let remembered {
            do {
                note = try await AuditMonitor.requireConsistency(from: remembered, to: latest, client: client)
            } catch let error as AppCtlError where error.code == .auditLogInconsistent {
                try output(failure: error.message, report: report, in: context)
                throw error
            }
        }
        state.servers[target.server] = AuditMonitorState.Server(
            origin: latest.origin, size: Int64(latest.size), rootHash: Data(latest.rootHash).base64EncodedString(),
            verifiedAt: Timestamp.now().rfc3339, pinnedKey: pinKey ? (trustedKey ?? export.verifierKey) : remembered?.pinnedKey)
        try state.save(to: statePath)
        try finish(report, consistency: note, in: context)
    }

    /// Prints the report (every problem, one line each) and fails when it is not valid.
    func finish(_ report: AuditVerificationReport, consistency: String?, in context: CommandContext) throws {
        context.output(try Renderer(format: global.output).render(report) {
            guard report.valid else {
                return report.problems.map { "FAILED at record \($0.sequence.map(String.init) ?? "-"): \($0.message)" }
                    .joined(separator: "\n")
                    + "\n\(report.problems.count) problem(s); \(report.entries) records and \(report.checkpointsVerified) checkpoints verified."
            }
            return "OK: \(report.entries) records, chain intact, \(report.checkpointsVerified) signed checkpoints verified."
                + (consistency.map { "\n\($0)" } ?? "")
        })
        if !report.valid {
            throw AppCtlError(.auditVerificationFailed, "\(report.problems.count) problem(s), the first: \(report.problem ?? "the audit log does not verify")")
        }
    }

    /// Prints a failure found beyond the export itself (key, consistency) as a report.
    func output(failure message: String, report: AuditVerificationReport, in context: CommandContext) throws {
        var failed = report
        failed.valid = false
        failed.firstBadSequence = nil
        failed.problem = message
        failed.problems = [AuditVerificationReport.Problem(sequence: nil, message: message)]
        context.output(try Renderer(format: global.output).render(failed) { "FAILED: \(message)" })
    }

    static func decode(_ data: Data) throws -> AuditExport {
        do {
            return try JSONDecoder().decode(AuditExport.self, from: data)
        } catch {
            throw AppCtlError(.auditVerificationFailed, "not an audit export: \(error)")
        }
    }

    /// `--key`: the vkey text itself, or a file holding it.
    static func readKey(_ value: String) throws -> String {
        if FileManager.default.fileExists(atPath: value) {
            guard let text = try? String(contentsOfFile: value, encoding: .utf8) else {
                throw AppCtlError(.clientConfigInvalid, "cannot read the key file \(value)")
            }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return value
    }
}
