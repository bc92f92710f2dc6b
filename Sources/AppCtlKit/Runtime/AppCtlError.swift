import PlatformContracts

/// An error `appctl` reports as `Error: <message> (<code>)` and exits with the code's
/// ``ExitStatus``.
public struct AppCtlError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stable code.
    public let code: ErrorCode
    /// What went wrong and what to do.
    public let message: String

    /// Creates an error.
    public init(_ code: ErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The exit status.
    public var exitStatus: ExitStatus { ExitStatus.forCode(code) }

    /// Equal when the codes are equal.
    public static func == (lhs: AppCtlError, rhs: AppCtlError) -> Bool {
        lhs.code == rhs.code
    }

    /// `message (code)`.
    public var description: String { "\(message) (\(code))" }
}
