/// How much one YAML or JSON document may cost to read, wherever it enters: app manifests,
/// the registry files, portal data, policy and configuration files, JSON request bodies.
///
/// YAML aliases make a few hundred bytes stand for billions of nodes ("billion laughs"), so
/// node counts are of the document *after* alias expansion, measured before anything expands
/// it (ManifestKit's `check(yaml:)`). JSON has no aliases: its nodes are bounded by its size,
/// and only size and depth are checked (``check(json:)``).
///
/// ```swift
/// try DocumentLimits.standard.check(json: body)   // throws DocumentTooComplex
/// ```
public struct DocumentLimits: Sendable, Hashable {
    /// Longest document, in bytes of UTF-8.
    public var maxBytes: Int
    /// Most nodes (scalars and collections, mapping keys included) once aliases are expanded.
    public var maxNodes: Int
    /// Deepest nesting of collections, the root being level 1.
    public var maxDepth: Int
    /// Most alias uses (`*name`).
    public var maxAliases: Int

    /// Creates limits.
    public init(maxBytes: Int, maxNodes: Int, maxDepth: Int, maxAliases: Int) {
        self.maxBytes = maxBytes
        self.maxNodes = maxNodes
        self.maxDepth = maxDepth
        self.maxAliases = maxAliases
    }

    /// The limits every entry point uses: far above any real manifest, registry or config file
    /// (the largest in the repository is 7 KiB, ~1,000 nodes, 6 deep), far below what hurts.
    public static let standard = DocumentLimits(maxBytes: 1 << 20, maxNodes: 100_000, maxDepth: 64, maxAliases: 1_000)

    /// Refuses JSON longer than ``maxBytes`` or nested deeper than ``maxDepth``, in one pass over
    /// the bytes that decodes nothing (Foundation's own limit, 512 levels, says only "not valid JSON").
    public func check(json bytes: some Sequence<UInt8>) throws(DocumentTooComplex) {
        var count = 0, depth = 0, line = 1, column = 1
        var inString = false, escaped = false
        for byte in bytes {
            count += 1
            if count > maxBytes {
                throw DocumentTooComplex(.size, line: line, column: column, limits: self)
            }
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            } else {
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    depth += 1
                    if depth > maxDepth { throw DocumentTooComplex(.depth, line: line, column: column, limits: self) }
                case UInt8(ascii: "]"), UInt8(ascii: "}"): depth = max(0, depth - 1)
                default: break
                }
            }
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
    }
}

/// A document refused because reading it would cost more than its ``DocumentLimits`` allow,
/// with the place (1-based) where the limit was crossed. Its code is `manifests.too_complex`.
public struct DocumentTooComplex: Error, Sendable, Equatable, CustomStringConvertible {
    /// Which limit was crossed.
    public enum Limit: String, Sendable, Codable {
        /// ``DocumentLimits/maxBytes``.
        case size
        /// ``DocumentLimits/maxNodes``, counted after alias expansion.
        case nodes
        /// ``DocumentLimits/maxDepth``.
        case depth
        /// ``DocumentLimits/maxAliases``.
        case aliases
    }

    /// Which limit was crossed.
    public var limit: Limit
    /// Line where it was crossed, 1-based.
    public var line: Int
    /// Column where it was crossed, 1-based.
    public var column: Int
    /// The limit's value.
    public var maximum: Int

    /// Creates the refusal for `limit` crossed at `line`:`column`.
    public init(_ limit: Limit, line: Int, column: Int, limits: DocumentLimits) {
        self.limit = limit
        self.line = line
        self.column = column
        self.maximum = switch limit {
        case .size: limits.maxBytes
        case .nodes: limits.maxNodes
        case .depth: limits.maxDepth
        case .aliases: limits.maxAliases
        }
    }

    /// The stable code, `manifests.too_complex`.
    public var code: ErrorCode { .manifestsTooComplex }

    /// What was crossed, without the place: `the document expands to more than 100000 nodes …`.
    public var message: String {
        switch limit {
        case .size: "the document is larger than \(maximum) bytes"
        case .nodes: "the document expands to more than \(maximum) nodes (aliases counted each time they are used)"
        case .depth: "the document nests deeper than \(maximum) levels"
        case .aliases: "the document uses more than \(maximum) aliases"
        }
    }

    /// `line:column: message`.
    public var description: String { "\(line):\(column): \(message)" }

    /// The same refusal as a ``PlatformError``, naming the file it came from.
    public func platformError(file: String) -> PlatformError {
        PlatformError(.manifestsTooComplex, "\(file):\(description)",
                      details: ["limit": limit.rawValue, "line": "\(line)", "column": "\(column)"])
    }
}

extension DocumentTooComplex {
    /// The refusal for a measurer's verdict code (1 size, 2 nodes, 3 depth, 4 aliases, 6 out of
    /// memory, counted as too many nodes), or `nil` for 0 (within limits) and 5 (a syntax error,
    /// which the parser itself reports).
    public init?(verdict: Int, line: Int, column: Int, limits: DocumentLimits) {
        let limit: Limit
        switch verdict {
        case 1: limit = .size
        case 2, 6: limit = .nodes
        case 3: limit = .depth
        case 4: limit = .aliases
        default: return nil
        }
        self.init(limit, line: line, column: column, limits: limits)
    }
}
