import Foundation

/// Text written by code under test (command output, messages a handler saw), readable after
/// it returns; safe to append from any task.
public final class Captured: @unchecked Sendable {
    private let lock = NSLock()
    private var chunks: [String] = []

    /// Creates an empty capture.
    public init() {}

    /// Appends one line (a newline is added when it has none).
    public func append(_ text: String) { lock.withLock { chunks.append(text.hasSuffix("\n") ? text : text + "\n") } }

    /// Everything, in order.
    public var text: String { lock.withLock { chunks.joined() } }

    /// The lines appended, without their newlines.
    public var lines: [String] { lock.withLock { chunks.map { String($0.dropLast()) } } }
}
