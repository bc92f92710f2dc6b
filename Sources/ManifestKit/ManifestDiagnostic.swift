/// One problem found in a manifest. Problems are collected, never thrown one at a time.
public struct ManifestDiagnostic: Sendable, Codable, Equatable {
    /// How bad it is.
    public enum Severity: String, Sendable, Codable {
        /// The manifest is invalid.
        case error
        /// Valid, but probably not what was meant.
        case warning
    }

    /// Error or warning.
    public var severity: Severity
    /// Stable rule code, e.g. `manifest.unknown_key`.
    public var code: String
    /// JSON pointer to the offending value, e.g. `/resources/gpu/count`.
    public var pointer: String
    /// The file it came from.
    public var file: String
    /// Line, 1-based.
    public var line: Int
    /// Column, 1-based.
    public var column: Int
    /// What is wrong.
    public var message: String

    /// Creates a diagnostic.
    public init(severity: Severity = .error, code: String, pointer: String, file: String, at location: SourceLocation, message: String) {
        self.severity = severity
        self.code = code
        self.pointer = pointer
        self.file = file
        self.line = location.line
        self.column = location.column
        self.message = message
    }

    /// `file:line:column: error[code] /pointer: message`.
    public var text: String {
        "\(file):\(line):\(column): \(severity.rawValue)[\(code)] \(pointer.isEmpty ? "/" : pointer): \(message)"
    }
}

/// Suggests the closest candidate for a mistyped word.
enum DidYouMean {
    static func suggestion(for word: String, among candidates: some Sequence<String>) -> String? {
        let lowered = word.lowercased()
        var best: (String, Int)?
        for candidate in candidates {
            let distance = levenshtein(lowered, candidate.lowercased())
            if distance < (best?.1 ?? .max) { best = (candidate, distance) }
        }
        guard let (candidate, distance) = best, distance <= max(2, candidate.count / 3) else { return nil }
        return candidate
    }

    static func levenshtein(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// ` (did you mean `x`?)` or nothing.
    static func hint(for word: String, among candidates: some Sequence<String>) -> String {
        suggestion(for: word, among: candidates).map { " (did you mean `\($0)`?)" } ?? ""
    }
}
