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

/// The filters of the audit record list. Without `order` or `cursor` a page is oldest first
/// and `after` follows the log (what existing tools do); `order=newest` or a `cursor` pages
/// newest first, each full page answering a `Link: <…&cursor=…>; rel="next"` for the older
/// ones (`after` is refused there: a newest-first page is continued by its cursor).
public struct AuditRecordsQuery: EndpointQuery {
    static let action = QueryField("action", .string, "Only records of this action (e.g. `iam.key.created`).")
    static let since = QueryField("since", .string, "Only records at or after this RFC 3339 time.")
    static let after = QueryField("after", .integer(0...Int64.max), "Only records with a sequence number above this (oldest first).")
    static let limit = QueryField("limit", .integer(1...1000), "At most this many records (default 100).")
    static let actor = QueryField("actor", .string, "Only records by this actor (principal id).")
    static let target = QueryField("target", .string, "Only records about this target (e.g. `instance/01J…`).")
    static let request = QueryField("request", .string, "Only records written while serving this request id.")
    static let correlation = QueryField(
        "correlation", .string, "Only records of this request id or carrying it as `details.correlationId` (a release's smoke launch and its instance's events).")
    static let order = QueryField("order", .string, "`oldest` (default) or `newest` first.")
    static let cursor = QueryField("cursor", .string, "Opaque position from a newest-first page's `Link` header; implies `order=newest`.")
    public static let fields = [action, since, after, limit, actor, target, request, correlation, order, cursor]
    /// Action filter.
    public var action: String?
    /// Time filter.
    public var since: String?
    /// Sequence filter.
    public var after: Int64?
    /// Page size.
    public var limit: Int
    /// Actor filter.
    public var actor: String?
    /// Target filter.
    public var target: String?
    /// Request id filter.
    public var request: String?
    /// Correlation id filter.
    public var correlation: String?
    /// Page order (`nil`: oldest first, or newest first with a cursor).
    public var order: AuditRecordFilter.Order?
    /// Newest-first position.
    public var cursor: AuditCursor?
    /// Creates the query.
    public init(action: String? = nil, since: String? = nil, after: Int64? = nil, limit: Int = 100, actor: String? = nil,
                target: String? = nil, request: String? = nil, correlation: String? = nil, order: AuditRecordFilter.Order? = nil,
                cursor: AuditCursor? = nil) {
        self.action = action; self.since = since; self.after = after; self.limit = limit
        self.actor = actor; self.target = target; self.request = request; self.correlation = correlation
        self.order = order; self.cursor = cursor
    }
    public init(reading value: (String) -> String?) throws(PlatformError) {
        action = value("action"); since = value("since")
        after = try Self.after.number(value)
        limit = Int(try Self.limit.number(value) ?? 100)
        actor = value("actor"); target = value("target"); request = value("request"); correlation = value("correlation")
        if let text = value("order") {
            guard let order = AuditRecordFilter.Order(rawValue: text) else {
                throw PlatformError(.httpParameterInvalid, "order must be oldest or newest; got \"\(text.prefix(40))\"",
                                    details: ["parameter": "order"])
            }
            self.order = order
        }
        if let text = value("cursor") {
            guard let cursor = AuditCursor(text: text) else {
                throw PlatformError(.httpParameterInvalid, "cursor is not one this server wrote; start again without it",
                                    details: ["parameter": "cursor"])
            }
            self.cursor = cursor
        }
        guard cursor == nil || order != .oldest else {
            throw PlatformError(.httpParameterInvalid, "a cursor pages newest first; drop order=oldest or the cursor",
                                details: ["parameter": "cursor"])
        }
        guard after == nil || filter.order == .oldest else {
            throw PlatformError(.httpParameterInvalid, "after follows the log oldest first; a newest-first page continues with its cursor",
                                details: ["parameter": "after"])
        }
    }
    public var items: [(name: String, value: String)] {
        var items: [(name: String, value: String)] = []
        if let action { items.append(("action", action)) }
        if let since { items.append(("since", since)) }
        if let after { items.append(("after", String(after))) }
        if limit != 100 { items.append(("limit", String(limit))) }
        if let actor { items.append(("actor", actor)) }
        if let target { items.append(("target", target)) }
        if let request { items.append(("request", request)) }
        if let correlation { items.append(("correlation", correlation)) }
        if let order { items.append(("order", order.rawValue)) }
        if let cursor { items.append(("cursor", cursor.text)) }
        return items
    }

    /// The filter the audit service reads with.
    public var filter: AuditRecordFilter {
        AuditRecordFilter(action: action, since: since, actor: actor, target: target, requestID: request, correlationID: correlation,
                          afterSequence: after, beforeSequence: cursor?.before,
                          order: order ?? (cursor == nil ? .oldest : .newest), limit: limit)
    }

    /// The query of the page after one newest-first page whose oldest record is `last`, or
    /// `nil` when the page was not full (there is nothing older).
    public func next(after page: [AuditRecord]) -> AuditRecordsQuery? {
        guard filter.order == .newest, page.count >= limit, let last = page.last else { return nil }
        var next = self
        next.cursor = AuditCursor(before: last.sequence)
        next.order = nil
        return next
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

/// A page of a project's instance list, newest first. Without `limit` the list is whole
/// (what existing clients read); with it, a full page answers a
/// `Link: <…?before=ID&limit=N>; rel="next"` naming the page of older instances.
public struct InstancesQuery: EndpointQuery {
    static let limit = QueryField("limit", .integer(1...1000), "At most this many instances (default: all of them).")
    static let before = QueryField("before", .string, "Only instances older than this instance of the project (a page's last id).")
    static let state = QueryField("state", .string, "`live` (not yet in a terminal phase) or `ended` (stopped, succeeded, failed); default both.")
    public static let fields = [limit, before, state]
    /// Which instances a list holds by phase.
    public enum State: String, Sendable, CaseIterable {
        /// Not yet in a terminal phase: what holds quota and GPUs.
        case live
        /// Stopped, succeeded or failed.
        case ended
    }
    /// Page size; `nil` for the whole list.
    public var limit: Int?
    /// The id of the last instance of the previous page.
    public var before: String?
    /// Only live or only ended instances; `nil` for both.
    public var state: State?
    /// Creates the query.
    public init(limit: Int? = nil, before: String? = nil, state: State? = nil) { self.limit = limit; self.before = before; self.state = state }
    public init(reading value: (String) -> String?) throws(PlatformError) {
        limit = try Self.limit.number(value).map(Int.init)
        before = value("before")
        if let text = value("state") {
            guard let state = State(rawValue: text) else {
                throw PlatformError(.httpParameterInvalid, "state must be live or ended; got \"\(text.prefix(40))\"", details: ["parameter": "state"])
            }
            self.state = state
        }
        if let before, before.isEmpty || before.count > 64 || !before.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            throw PlatformError(.httpParameterInvalid, "before must be an instance id; got \"\(before.prefix(40))\"",
                                details: ["parameter": "before"])
        }
    }
    public var items: [(name: String, value: String)] {
        var items: [(name: String, value: String)] = []
        if let limit { items.append(("limit", String(limit))) }
        if let before { items.append(("before", before)) }
        if let state { items.append(("state", state.rawValue)) }
        return items
    }

    /// The query of the page after `page`, or `nil` when it was not a full page.
    public func next(after page: [InstanceRecord]) -> InstancesQuery? {
        guard let limit, page.count >= limit, let last = page.last else { return nil }
        return InstancesQuery(limit: limit, before: last.id, state: state)
    }
}
