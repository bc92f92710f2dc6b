import Foundation
import Synchronization

/// What a command may touch of the outside world: environment, config location, output
/// streams. Commands receive it instead of reaching for globals, so tests run them in
/// process with a captured output and a temporary config.
public struct CommandContext: Sendable {
    /// The environment variables the command sees.
    public var environment: [String: String]
    /// Standard output.
    public var output: @Sendable (String) -> Void
    /// Standard error.
    public var errorOutput: @Sendable (String) -> Void
    /// Progress lines on standard error, written as given (`\r` redraws, no newline added).
    public var progress: @Sendable (String) -> Void

    /// Creates a context.
    public init(
        environment: [String: String],
        output: @escaping @Sendable (String) -> Void,
        errorOutput: @escaping @Sendable (String) -> Void,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.environment = environment
        self.output = output
        self.errorOutput = errorOutput
        self.progress = progress
    }

    /// The real process environment and streams.
    public static var live: CommandContext {
        CommandContext(
            environment: ProcessInfo.processInfo.environment,
            output: { FileHandle.standardOutput.write(Data(($0.hasSuffix("\n") ? $0 : $0 + "\n").utf8)) },
            errorOutput: { FileHandle.standardError.write(Data(($0.hasSuffix("\n") ? $0 : $0 + "\n").utf8)) },
            progress: { FileHandle.standardError.write(Data($0.utf8)) }
        )
    }

    /// `APPCTL_CONFIG`, else `$XDG_CONFIG_HOME/appctl/config.yaml`, else
    /// `~/.config/appctl/config.yaml`.
    public var configPath: String {
        if let path = environment["APPCTL_CONFIG"], !path.isEmpty { return path }
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return "\(xdg)/appctl/config.yaml" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return "\(home)/.config/appctl/config.yaml"
    }
}
