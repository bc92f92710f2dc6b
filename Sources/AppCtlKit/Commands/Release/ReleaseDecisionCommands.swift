import ArgumentParser
import Foundation
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl release approve R [--as security-owner] --comment C`.
public struct ReleaseApproveCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve a release (refused for its creator and anyone who signed or attached its evidence).")
    @Argument(help: "The release id.") var release: String
    @Option(name: .customLong("as"), help: ArgumentHelp("reviewer (default) or security-owner (needs release:approve:security).", valueName: "role"))
    var role: String = ReleaseApprovalRole.reviewer.rawValue
    @Option(name: .long, help: ArgumentHelp("Why it may ship.", valueName: "text")) var comment: String
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Refuses an unknown role or an empty comment before any request.
    public func validate() throws {
        guard ReleaseApprovalRole(rawValue: role) != nil else {
            throw ValidationError("--as is one of \(ReleaseApprovalRole.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(role)\".")
        }
        guard !comment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ValidationError("--comment says why; it may not be empty.") }
    }

    /// Approves.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let approved = try await PlatformClient(target: try ServerTarget.resolve(global, in: context)).send(
            Endpoints.approveRelease, path: Endpoints.ReleaseItem(project: project, release),
            body: ReleaseApprovalRequest(role: ReleaseApprovalRole(rawValue: role) ?? .reviewer, comment: comment))
        context.output(try Renderer(format: global.output).render(approved) {
            "Approved release \(release) as \(role) (\(approved.approvals.count) approval(s))."
        })
    }
}

/// `appctl release gates R`: the six gates evaluated now, one row each.
public struct ReleaseGatesCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "gates", abstract: "Evaluate the six release gates now: PASS or FAIL and what each misses (nothing is recorded).")
    @Argument(help: "The release id.") var release: String
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Evaluates.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let decision = try await PlatformClient(target: try ServerTarget.resolve(global, in: context))
            .send(Endpoints.getReleaseGates, path: Endpoints.ReleaseItem(project: project, release))
        context.output(try Renderer(format: global.output).render(decision) { Self.table(decision) })
    }

    static func table(_ decision: ReleaseDecision) -> String {
        TextTable(headers: ["GATE", "RESULT", "MISSING"], rows: decision.gates.map {
            [$0.gate.rawValue, $0.passed ? "PASS" : "FAIL", $0.missing.joined(separator: "; ")]
        }).render()
            + "\n\n\(decision.verificationResult) for \(decision.environment) under policy \(decision.policySnapshot); required: "
            + decision.requiredFields.map(\.rawValue).joined(separator: ", ")
    }
}

/// `appctl release promote R`: platform control only.
public struct ReleasePromoteCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "promote", abstract: "Record a signed gate decision and, when it passes, promote every artifact (release:promote).",
        discussion: "A failing gate refuses with release.gates_failed (exit 65) naming what each gate misses; the failed decision is recorded.")
    @Argument(help: "The release id.") var release: String
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Promotes.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let promoted = try await PlatformClient(target: try ServerTarget.resolve(global, in: context))
            .send(Endpoints.promoteRelease, path: Endpoints.ReleaseItem(project: project, release))
        context.output(try Renderer(format: global.output).render(promoted) {
            "Promoted release \(release) to \(promoted.environment) under decision \(promoted.decision?.id ?? "-")"
                + " (\(promoted.artifacts.count) artifact(s))."
        })
    }
}
