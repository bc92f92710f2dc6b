import ArgumentParser
import PlatformContracts

/// `platformd version`: prints the build's version.
public struct VersionCommand: ParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "version", abstract: "Print the version of this build.")

    /// Creates the command.
    public init() {}

    /// Prints `platformd VERSION (API vN)`.
    public func run() {
        print("platformd \(PlatformVersion.version) (API \(PlatformVersion.apiVersion), \(PlatformVersion.compiler))")
    }
}
