import ArgumentParser

/// A leaf command of `appctl`: its work runs against an injected ``CommandContext``.
public protocol AppCtlCommand: AsyncParsableCommand {
    /// Does the command's work.
    func run(in context: CommandContext) async throws
}

extension AppCtlCommand {
    /// Runs against the real process environment.
    public func run() async throws {
        try await run(in: .live)
    }
}
