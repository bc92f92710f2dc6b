import ArgumentParser

/// `appctl artifact`: push, pull, sign, promote and inspect OCI artifacts.
public struct ArtifactCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "artifact", abstract: "Push, pull, sign, promote and inspect OCI artifacts in the built-in registry.",
        discussion: """
            Repositories are <project-id>/<name> (the project id in lowercase). The registry speaks the OCI \
            Distribution API v1.1 at <server>/v2/, so skopeo, oras or podman work too: user any, password an API key.
            """,
        subcommands: [ArtifactPushCommand.self, ArtifactPullCommand.self, ArtifactSignCommand.self, ArtifactStatusCommand.self,
                      ArtifactPromoteCommand.self, ArtifactListCommand.self])
    /// Creates the command.
    public init() {}
}
