import Testing

/// Polls `condition` (real time) until it holds; records an issue naming `what` and throws
/// `CancellationError` when it has not held within `within`.
public func waitUntil(_ what: String, within: Duration = .seconds(10), poll: Duration = .milliseconds(5),
                      sourceLocation: SourceLocation = #_sourceLocation, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + within
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: poll)
    }
    Issue.record("timed out after \(within): \(what)", sourceLocation: sourceLocation)
    throw CancellationError()
}
