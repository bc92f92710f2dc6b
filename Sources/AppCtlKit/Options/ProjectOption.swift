import ArgumentParser
import Foundation
import PlatformContracts

/// `--project P` of every command that works in a project. `P` is `tenant/project` by names
/// (what people type) or the project's id in any case; the server resolves either. Without
/// the flag, `APPCTL_PROJECT`, then the context's default project (`appctl context add …
/// --project` or `appctl context set-project`) are used, so a developer who works in one
/// project names it once.
public struct ProjectOption: ParsableArguments, Sendable {
    /// The flag's value, if given.
    @Option(name: .long, help: ArgumentHelp(
        "Project: tenant/project (names) or its id (default: APPCTL_PROJECT, then the context's project).", valueName: "project"))
    public var project: String?

    /// Creates the option.
    public init() {}

    /// The project reference in force.
    /// - Throws: `ValidationError` (a usage error, as a missing required option is) when none is set.
    public func resolve(_ global: GlobalOptions, in context: CommandContext) throws -> String {
        if let project = project ?? context.environment["APPCTL_PROJECT"].flatMap({ $0.isEmpty ? nil : $0 }) {
            return try Self.checked(project)
        }
        if let project = try ServerTarget.activeContext(global, in: context)?.project { return try Self.checked(project) }
        throw ValidationError("Name a project: --project tenant/project (or its id), APPCTL_PROJECT, or `appctl context set-project tenant/project`.")
    }

    /// Refuses what is neither a project id nor `tenant/project`, before any request.
    static func checked(_ reference: String) throws -> String {
        if let id = ULID.canonical(reference) { return id.description }
        let names = reference.split(separator: "/", omittingEmptySubsequences: false)
        guard names.count == 2, names.allSatisfy({ $0.range(of: "^[a-z0-9][a-z0-9-]{0,62}$", options: .regularExpression) != nil }) else {
            throw ValidationError("\"\(reference)\" is not a project: use tenant/project (lowercase names) or the project's id.")
        }
        return reference
    }
}
