import Foundation

/// Which audit records a read asks for, and in which order. The oldest-first form
/// (``afterSequence``) is what tools that follow the log use; the newest-first form
/// (``beforeSequence``, reached through an ``AuditCursor``) is what people investigating
/// an actor, a target or a request use: the newest page first, then older ones.
public struct AuditRecordFilter: Sendable, Equatable {
    /// The order of a page.
    public enum Order: String, Sendable, CaseIterable {
        /// Ascending sequence numbers (the default: existing callers follow the log with `after`).
        case oldest
        /// Descending sequence numbers, paged by ``AuditCursor``.
        case newest
    }

    /// Only records of this action.
    public var action: String?
    /// Only records at or after this RFC 3339 time.
    public var since: String?
    /// Only records by this actor (principal id).
    public var actor: String?
    /// Only records about this target (e.g. `instance/01J…`).
    public var target: String?
    /// Only records written while serving this request id.
    public var requestID: String?
    /// Only records of this request id or carrying it as `details.correlationId` (a release's
    /// smoke launch, then its instance's ready and stop events).
    public var correlationID: String?
    /// Oldest first: only records with a sequence number above this.
    public var afterSequence: Int64?
    /// Newest first: only records with a sequence number below this (a cursor's position).
    public var beforeSequence: Int64?
    /// The order of the page.
    public var order: Order
    /// Page size (clamped to 1…1000 by the reader).
    public var limit: Int

    /// Creates a filter; with no arguments, the first 100 records, oldest first.
    public init(action: String? = nil, since: String? = nil, actor: String? = nil, target: String? = nil, requestID: String? = nil,
                correlationID: String? = nil, afterSequence: Int64? = nil, beforeSequence: Int64? = nil, order: Order = .oldest,
                limit: Int = 100) {
        self.action = action; self.since = since; self.actor = actor; self.target = target; self.requestID = requestID
        self.correlationID = correlationID; self.afterSequence = afterSequence; self.beforeSequence = beforeSequence
        self.order = order; self.limit = limit
    }
}

/// The position of a newest-first audit page: opaque to clients (base64url text), a keyset
/// on the log's sequence number to the server, so a page never shifts when records are
/// appended while someone reads older ones.
public struct AuditCursor: Sendable, Equatable {
    /// The next page holds records with a sequence number below this.
    public let before: Int64

    /// The cursor of the page after one whose last (oldest) record has sequence `before`.
    public init(before: Int64) { self.before = before }

    /// Reads a cursor's text; `nil` for text no server wrote.
    public init?(text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard text.count <= 64, let data = Data(base64Encoded: base64),
              let decoded = String(data: data, encoding: .utf8), decoded.hasPrefix(Self.prefix),
              let before = Int64(decoded.dropFirst(Self.prefix.count)), before > 0
        else { return nil }
        self.before = before
    }

    /// The cursor's text, as the `cursor` query parameter carries it.
    public var text: String {
        Data("\(Self.prefix)\(before)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Versions the encoding, so a later keyset can refuse an old cursor instead of misreading it.
    static let prefix = "audit.v1:"
}
