import Foundation
import Hummingbird
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `/console/admin/audit`: a GET form with every filter of ``AuditRecordsQuery`` (inputs named
/// exactly like its query fields, so a console URL and a `/v1/audit/records` URL read the same),
/// the matching records, and the next page: oldest first continues with `after` (the page's
/// last sequence), newest first with the API's `cursor`. The query is parsed by the API's own
/// reader, so a bad value is refused with the API's message.
enum AdminAuditPage {
    /// The most records one page renders, the default page size (the API answers up to 1,000;
    /// a browser page of that many rows is a download, not a page, and would break the
    /// console's 50 ms render budget: 200 rows took 40 ms p50 and 53 ms p95 in release).
    static let maxPageSize = 100

    static func show(_ page: ConsoleRequest) async throws -> Response {
        var query: AuditRecordsQuery
        do {
            query = try AuditRecordsQuery(reading: { page.query.text($0) })
            query.limit = min(query.limit, maxPageSize)
        } catch {
            return try page.render(.adminAudit, title: "Audit", model(page, records: [], query: nil, problem: "\(error.message) (\(error.code.rawValue))"),
                                   status: error.code.responseStatus)
        }
        let records = try await page.api.send(Endpoints.listAuditRecords, query: query)
        return try page.render(.adminAudit, title: "Audit", model(page, records: records, query: query, problem: nil))
    }

    /// The query of the page after `records`, or `nil` when it was the last.
    static func next(_ query: AuditRecordsQuery, after records: [AuditRecord]) -> AuditRecordsQuery? {
        if query.filter.order == .newest { return query.next(after: records) }
        guard records.count >= query.limit, let last = records.last else { return nil }
        var next = query
        next.after = last.sequence
        return next
    }

    /// RFC 3986's unreserved characters: everything else in a value is percent-encoded.
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func href(_ query: AuditRecordsQuery) -> String {
        let items = query.items.map { item in
            "\(item.name)=\(item.value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "")"
        }
        return "/console/admin/audit" + (items.isEmpty ? "" : "?" + items.joined(separator: "&"))
    }

    static func model(_ page: ConsoleRequest, records: [AuditRecord], query: AuditRecordsQuery?, problem: String?) -> [String: Any] {
        let field = { (name: String) in page.query[name] ?? "" }
        let order = field("order")
        var model: [String: Any] = [
            "action": field("action"), "since": field("since"), "after": field("after"),
            "limit": query.map { $0.limit == 100 ? "" : String($0.limit) } ?? field("limit"), "maxLimit": maxPageSize,
            "actor": field("actor"), "target": field("target"), "request": field("request"), "correlation": field("correlation"),
            "cursor": field("cursor"),
            "orders": [["value": "", "label": "Default (oldest first)", "selected": order.isEmpty],
                       ["value": "oldest", "label": "Oldest first", "selected": order == "oldest"],
                       ["value": "newest", "label": "Newest first", "selected": order == "newest"]],
            "problem": problem ?? "", "hasProblem": problem != nil,
            "searched": query != nil,
        ]
        model["records"] = records.map { record -> [String: Any] in
            [
                "sequence": record.sequence, "id": record.id, "time": record.time, "timeShort": AdminText.short(record.time),
                "actor": record.actor, "action": record.action, "target": record.target, "outcome": record.outcome.rawValue,
                "outcomeClass": record.outcome.rawValue == "success" ? "ok" : "warn",
                "tenant": record.tenant ?? "", "project": record.project ?? "", "requestId": record.requestId ?? "", "hasRequest": record.requestId != nil, "hasProject": record.project != nil,
                "details": record.details.keys.sorted().map { ["name": $0, "value": record.details[$0] ?? ""] },
                "hasDetails": !record.details.isEmpty,
            ]
        }
        model["hasRecords"] = !records.isEmpty
        model["count"] = records.count
        if let query {
            if let following = next(query, after: records) { model["next"] = href(following) }
            var first = query
            first.after = nil
            first.cursor = nil
            if query.after != nil || query.cursor != nil { model["first"] = href(first) }
            model["order"] = query.filter.order.rawValue
            model["hasPaging"] = model["next"] != nil || model["first"] != nil
        }
        return model
    }
}
