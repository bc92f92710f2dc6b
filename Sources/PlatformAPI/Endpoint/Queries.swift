import PlatformContracts

/// `?after=` of an instance's events.
public struct EventsQuery: EndpointQuery {
    static let after = QueryField("after", .integer(0...Int64(Int32.max)),
                                  "Return events with a sequence number above this (default 0; Last-Event-ID when absent).")
    public static let fields = [after]
    /// Sequence number to resume after.
    public var after: Int?
    /// Creates the query.
    public init(after: Int? = nil) { self.after = after }
    public init(reading value: (String) -> String?) throws(PlatformError) { after = try Self.after.number(value).map(Int.init) }
    public var items: [(name: String, value: String)] { after.map { [("after", String($0))] } ?? [] }
}

/// `?offset=` of an instance's log.
public struct LogsQuery: EndpointQuery {
    /// The largest byte offset into a log the server seeks to (1 TiB): far past any real log,
    /// well inside every file system's maximum file size.
    public static let maxOffset: Int64 = 1 << 40
    static let offset = QueryField("offset", .integer(0...maxOffset), "Byte offset to read from (default 0).")
    public static let fields = [offset]
    /// Byte offset.
    public var offset: Int64
    /// Creates the query.
    public init(offset: Int64 = 0) { self.offset = offset }
    public init(reading value: (String) -> String?) throws(PlatformError) { offset = try Self.offset.number(value) ?? 0 }
    public var items: [(name: String, value: String)] { offset == 0 ? [] : [("offset", String(offset))] }
}

/// The filters of the audit record list.
public struct AuditRecordsQuery: EndpointQuery {
    static let action = QueryField("action", .string, "Only records of this action (e.g. `iam.key.created`).")
    static let since = QueryField("since", .string, "Only records at or after this RFC 3339 time.")
    static let after = QueryField("after", .integer(0...Int64.max), "Only records with a sequence number above this.")
    static let limit = QueryField("limit", .integer(1...1000), "At most this many records (default 100).")
    public static let fields = [action, since, after, limit]
    /// Action filter.
    public var action: String?
    /// Time filter.
    public var since: String?
    /// Sequence filter.
    public var after: Int64?
    /// Page size.
    public var limit: Int
    /// Creates the query.
    public init(action: String? = nil, since: String? = nil, after: Int64? = nil, limit: Int = 100) {
        self.action = action; self.since = since; self.after = after; self.limit = limit
    }
    public init(reading value: (String) -> String?) throws(PlatformError) {
        action = value("action"); since = value("since")
        after = try Self.after.number(value)
        limit = Int(try Self.limit.number(value) ?? 100)
    }
    public var items: [(name: String, value: String)] {
        var items: [(name: String, value: String)] = []
        if let action { items.append(("action", action)) }
        if let since { items.append(("since", since)) }
        if let after { items.append(("after", String(after))) }
        if limit != 100 { items.append(("limit", String(limit))) }
        return items
    }
}

/// The two tree sizes of an audit consistency proof.
public struct AuditConsistencyQuery: EndpointQuery {
    static let from = QueryField("from", .integer(1...Int64.max), required: true, "The older tree size.")
    static let to = QueryField("to", .integer(1...Int64.max), required: true, "The newer tree size.")
    public static let fields = [from, to]
    /// Older size.
    public var from: Int64
    /// Newer size.
    public var to: Int64
    /// Creates the query.
    public init(from: Int64, to: Int64) { self.from = from; self.to = to }
    public init(reading value: (String) -> String?) throws(PlatformError) {
        from = try Self.from.number(value) ?? 0
        to = try Self.to.number(value) ?? 0
    }
    public var items: [(name: String, value: String)] { [("from", String(from)), ("to", String(to))] }
}

/// `?instance=` of the connect session list.
public struct ConnectSessionsQuery: EndpointQuery {
    static let instance = QueryField("instance", .string, "Only sessions of this instance.")
    public static let fields = [instance]
    /// Instance filter.
    public var instance: String?
    /// Creates the query.
    public init(instance: String? = nil) { self.instance = instance }
    public init(reading value: (String) -> String?) throws(PlatformError) { instance = value("instance") }
    public var items: [(name: String, value: String)] { instance.map { [("instance", $0)] } ?? [] }
}
