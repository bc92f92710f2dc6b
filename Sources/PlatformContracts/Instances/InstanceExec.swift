/// `POST /v1/projects/{project}/instances/{instance}/exec`: a command run inside a running
/// instance, non-interactively.
public struct ExecRequest: Sendable, Codable, Equatable {
    /// argv; the first word is looked up on the instance's `PATH`.
    public var command: [String]
    /// Seconds before the command is killed (default 60, at most 3600).
    public var timeoutSeconds: Int?

    /// Creates a request.
    public init(command: [String], timeoutSeconds: Int? = nil) {
        self.command = command
        self.timeoutSeconds = timeoutSeconds
    }
}

/// What an exec answered.
public struct ExecResponse: Sendable, Codable, Equatable {
    /// The command's exit status.
    public var status: Int32
    /// What it printed (stdout then stderr), at most 1 MiB.
    public var output: String

    /// Creates a response.
    public init(status: Int32, output: String) {
        self.status = status
        self.output = output
    }
}
