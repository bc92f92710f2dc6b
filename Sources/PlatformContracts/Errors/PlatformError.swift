/// The one error type the platform's modules throw across their boundaries.
///
/// It carries a stable ``ErrorCode``, a sentence for humans and optional string details.
/// Two errors are equal when their codes are equal, so tests can write
/// `#expect(throws: PlatformError(.storeConflict))`.
///
/// ```swift
/// throw PlatformError(.blobNotFound, "no blob \(digest)", details: ["digest": "\(digest)"])
/// ```
public struct PlatformError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stable code.
    public let code: ErrorCode
    /// A sentence that says what failed and, where possible, what to do.
    public let message: String
    /// Extra context (never secrets).
    public let details: [String: String]
    /// Where the error was created, for logs.
    public let source: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: The stable code.
    ///   - message: What failed, in one sentence.
    ///   - details: Extra context; must not contain secrets.
    public init(
        _ code: ErrorCode,
        _ message: String = "",
        details: [String: String] = [:],
        fileID: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message.isEmpty ? code.rawValue : message
        self.details = details
        self.source = "\(fileID):\(line)"
    }

    /// `code: message`.
    public var description: String { "\(code): \(message)" }

    /// Equal when the codes are equal.
    public static func == (lhs: PlatformError, rhs: PlatformError) -> Bool {
        lhs.code == rhs.code
    }
}
