import Foundation
import PlatformContracts
import PlatformStore
import RuntimeKit

/// `appctl instance exec`: a command inside a running instance, through its adapter's
/// ``RuntimeExecSupport`` (the instance's own namespaces and unprivileged user; the route
/// checked `apps:instance:exec` and resolved the project, so a foreign instance is 404).
///
/// Every exec is audited `apps.instance.exec` with the command's first word, whether a TTY
/// was used and the exit status: never its arguments past the first word (they may carry
/// credentials typed by hand) and never its output.
extension InstanceService {
    /// Default and largest deadline of a non-interactive exec, in seconds.
    public static let execTimeoutSeconds = (default: 60, max: 3600)

    /// Runs `request.command` in the instance and answers its exit status and output.
    /// - Throws: ``ErrorCode/instanceNotFound``; ``ErrorCode/instancePhaseConflict`` unless it is
    ///   running or ready; ``ErrorCode/instanceExecUnsupported`` for an adapter without exec;
    ///   ``ErrorCode/httpBadRequest`` for an empty command or a deadline out of range.
    public func exec(in project: Project, id: String, _ request: ExecRequest, by caller: Caller, requestID: String?) async throws -> ExecResponse {
        try Self.checkExecCommand(request.command)
        let seconds = request.timeoutSeconds ?? Self.execTimeoutSeconds.default
        guard (1...Self.execTimeoutSeconds.max).contains(seconds) else {
            throw PlatformError(.httpBadRequest, "timeoutSeconds must be 1…\(Self.execTimeoutSeconds.max), not \(seconds)")
        }
        let (row, exec, handle) = try await execTarget(in: project, id: id)
        let result: ExecResult
        do {
            if let timed = exec as? any RuntimeTerminalSupport {
                result = try await timed.exec(handle, command: request.command, timeout: .seconds(seconds))
            } else {
                result = try await exec.exec(handle, command: request.command)
            }
        } catch {
            try await auditExec(row, command: request.command, tty: false, status: nil, by: caller, requestID: requestID)
            throw error
        }
        try await auditExec(row, command: request.command, tty: false, status: result.status, by: caller, requestID: requestID)
        return ExecResponse(status: result.status, output: result.output)
    }

    /// Starts `command` in the instance under a pseudo-terminal (the WebSocket route's
    /// `appctl instance exec -it`); audited when it opens and again with its exit status
    /// when the caller ``InstanceTerminalSession/finish(status:)``es it.
    /// - Throws: as ``exec(in:id:_:by:requestID:)``; ``ErrorCode/instanceExecUnsupported`` also
    ///   for an adapter that execs but has no terminals.
    public func openTerminal(in project: Project, id: String, command: [String], size: TerminalSize, by caller: Caller,
                             requestID: String?) async throws -> InstanceTerminalSession {
        try Self.checkExecCommand(command)
        let (row, exec, handle) = try await execTarget(in: project, id: id)
        guard let terminals = exec as? any RuntimeTerminalSupport else {
            throw PlatformError(.instanceExecUnsupported, "the \(row.adapter) adapter runs commands in instances but gives them no terminal; drop -t",
                                details: ["adapter": row.adapter])
        }
        // Audited before anything runs: an interactive session may last long, and a crash must not leave it unrecorded.
        try await auditExec(row, command: command, tty: true, status: nil, by: caller, requestID: requestID, opening: true)
        let terminal: RuntimeTerminal
        do {
            terminal = try await terminals.openTerminal(handle, command: command, size: size)
        } catch {
            // The opening record stays; this one says it never ran.
            try? await auditExec(row, command: command, tty: true, status: nil, by: caller, requestID: requestID)
            throw error
        }
        return InstanceTerminalSession(terminal: terminal) { [self] status in
            try? await auditExec(row, command: command, tty: true, status: status, by: caller, requestID: requestID)
        }
    }

    /// The instance, its adapter's exec support and handle, when a command may run in it now.
    func execTarget(in project: Project, id: String) async throws -> (InstanceRow, any RuntimeExecSupport, RuntimeHandle) {
        let row = try await row(in: project, id: id)
        guard row.phase.isConnectable, let handle = row.handle else {
            throw PlatformError(.instancePhaseConflict, "instance \(row.id) is \(row.phase.name); a command runs only in a running or ready instance",
                                details: ["phase": row.phase.name])
        }
        guard let exec = adapters[row.adapter] as? any RuntimeExecSupport else {
            throw PlatformError(.instanceExecUnsupported, "the \(row.adapter) adapter cannot run a command inside an instance",
                                details: ["adapter": row.adapter])
        }
        return (row, exec, handle)
    }

    static func checkExecCommand(_ command: [String]) throws(PlatformError) {
        guard let first = command.first, !first.isEmpty else {
            throw PlatformError(.httpBadRequest, "command needs at least one word (the program)")
        }
        guard command.count <= 1024, command.reduce(0, { $0 + $1.utf8.count }) <= 1 << 16,
              !command.contains(where: { $0.utf8.contains(0) }) else {
            throw PlatformError(.httpBadRequest, "command is too long or contains a NUL byte")
        }
    }

    /// One `apps.instance.exec` record: program, TTY, exit status; a failing audit log fails the request.
    func auditExec(_ row: InstanceRow, command: [String], tty: Bool, status: Int32?, by caller: Caller, requestID: String?,
                   opening: Bool = false) async throws {
        var details = ["app": "\(row.app)@\(row.version)", "adapter": row.adapter, "command": String((command.first ?? "").prefix(200)),
                       "tty": tty ? "true" : "false"]
        details["status"] = opening ? "started" : status.map(String.init) ?? "error"
        if let correlation = row.launchRequestID { details["correlationId"] = correlation }
        let event = AuditEvent(actor: PrincipalID(caller.principalId), action: "apps.instance.exec", target: "instance/\(row.id)",
                               outcome: opening || status != nil ? .success : .failure, requestID: requestID, details: details,
                               project: row.projectId)
        let audit = repository.audit
        try await repository.store.transaction { db in try await audit.append(event, tenant: row.tenantId, in: db) }
    }
}

/// An interactive exec: the terminal to pump, and the audit of how it ended.
public struct InstanceTerminalSession: Sendable {
    /// The host side of the command's terminal.
    public let terminal: RuntimeTerminal
    let ended: @Sendable (Int32) async -> Void

    /// Records the session's end with the command's exit status.
    public func finish(status: Int32) async { await ended(status) }
}
