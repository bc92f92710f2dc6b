import ArgumentParser
import Foundation
import PlatformAPI
import PlatformClient
import PlatformContracts

#if canImport(Glibc)
import Glibc
#endif

/// `appctl instance exec ID [-it] [--timeout S] -- CMD…`: a command inside a running instance,
/// in its namespaces and as its unprivileged user (needs `apps:instance:exec`; audited).
///
/// Without `-t` it is one request: appctl prints what the command printed and exits with its
/// exit status (124 when the deadline killed it). With `-t` (`-it`, as kubectl spells it) it
/// opens a terminal over a WebSocket (``ExecTerminalClient``): the local terminal goes into
/// raw mode while stdin is a TTY, keys go to the command, window changes follow.
public struct InstanceExecCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "exec", abstract: "Run a command inside a running instance (-it for an interactive terminal).",
        discussion: """
            Examples:
              appctl instance exec 01J… -- cat /etc/os-release
              appctl instance exec -it 01J… -- /bin/sh
            The command runs in the instance's own network and user namespaces, as its unprivileged user.
            appctl exits with the command's exit status (124: killed at --timeout).
            """)
    @Argument(help: "The instance id.") var id: String
    @Argument(parsing: .postTerminator, help: ArgumentHelp("The command and its arguments, after --.", valueName: "command"))
    var command: [String] = []
    @Flag(name: [.customShort("i"), .long], help: "Send standard input to the command (with -t).") var interactive = false
    @Flag(name: [.customShort("t"), .long], help: "Give the command a terminal (an interactive session over a WebSocket).") var tty = false
    @Option(name: .long, help: "Seconds before a non-interactive command is killed (default 60, at most 3600).") var timeout: Int?
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Runs it and exits with its status.
    public func run(in context: CommandContext) async throws {
        let words = command.first == "--" ? Array(command.dropFirst()) : command
        guard !words.isEmpty else { throw ValidationError("name the command to run after --, e.g. appctl instance exec \(id) -- /bin/sh -c 'id'") }
        if interactive, !tty { throw ValidationError("-i sends standard input to a terminal session: use -it") }
        let project = try projectOption.resolve(global, in: context)
        let target = try ServerTarget.resolve(global, in: context)
        let status: Int32
        if tty {
            status = try await ExecTerminalClient(server: target.server, token: target.token, project: project, instance: id)
                .run(command: words)
        } else {
            // The request lasts as long as the command may: its deadline and a margin.
            let seconds = (timeout ?? 60) + 15
            let client = PlatformClient(server: target.server, token: target.token, userAgent: "appctl/\(PlatformVersion.version)",
                                        timeout: .seconds(seconds))
            let answer = try await client.send(Endpoints.execInstance, path: .init(project: project, id),
                                               body: ExecRequest(command: words, timeoutSeconds: timeout))
            if global.output == .json {
                context.output(String(decoding: try JSONEncoder().encode(answer), as: UTF8.self))
            } else if !answer.output.isEmpty {
                context.output(answer.output)
            }
            status = answer.status
        }
        if status != 0 { throw ExitCode(status) }
    }
}
