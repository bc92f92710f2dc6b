import ArgumentParser

/// `appctl artifact`: push, pull, sign, promote and inspect OCI artifacts.
public struct ArtifactCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "artifact", abstract: "Push, pull, sign, promote and inspect OCI artifacts in the built-in registry.",
        discussion: """
            Repositories are <tenant>/<project>/<name> by names (acme/ml/gpu-echo), or <project-id>/<name> by id \
            (any case here; OCI clients send it lowercase); both name one repository, listed in its id form. The \
            registry speaks the OCI Distribution API v1.1 at <server>/v2/, so skopeo, oras or podman work too with \
            either form: user any, password an API key.
            """,
        subcommands: [ArtifactPushCommand.self, ArtifactPullCommand.self, ArtifactSignCommand.self, ArtifactStatusCommand.self,
                      ArtifactPromoteCommand.self, ArtifactListCommand.self])
    /// Creates the command.
    public init() {}
}
