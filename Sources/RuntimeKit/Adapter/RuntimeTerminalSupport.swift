import Foundation
import PlatformContracts

/// Optional, beyond ``RuntimeExecSupport``: an exec with a deadline that kills the command
/// itself (not only the runtime's client), and an interactive exec under a pseudo-terminal
/// (`appctl instance exec -it`). The server pumps a ``RuntimeTerminal``'s bytes to and from
/// a WebSocket.
public protocol RuntimeTerminalSupport: RuntimeExecSupport {
    /// Runs `command` in the instance's namespaces, as its user; after `timeout` the command
    /// is killed and the result's status is ``RuntimeTerminal/timedOutStatus`` (124, as
    /// coreutils `timeout` answers), with what it printed until then.
    func exec(_ handle: RuntimeHandle, command: [String], timeout: Duration) async throws -> ExecResult

    /// Starts `command` in the instance under a new pseudo-terminal of `size`; the caller
    /// reads, writes, resizes and finally waits for or closes the returned terminal.
    func openTerminal(_ handle: RuntimeHandle, command: [String], size: TerminalSize) async throws -> RuntimeTerminal
}

/// A terminal's window size in character cells.
public struct TerminalSize: Sendable, Codable, Hashable {
    /// Rows (lines).
    public var rows: UInt16
    /// Columns.
    public var columns: UInt16

    /// Creates a size; zero is taken as the classic 24×80.
    public init(rows: UInt16, columns: UInt16) {
        self.rows = rows == 0 ? 24 : rows
        self.columns = columns == 0 ? 80 : columns
    }
}
