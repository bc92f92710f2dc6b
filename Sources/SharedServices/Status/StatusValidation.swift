import Foundation
import PlatformContracts

/// Checks on incident and maintenance requests; every refusal is `status.request_invalid`.
enum StatusValidation {
    static func text(_ value: String, field: String, limit: Int) throws(PlatformError) {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, value.count <= limit else {
            throw PlatformError(.statusRequestInvalid, "\(field) must be 1 to \(limit) characters", details: ["field": field])
        }
        do {
            try TextPolicy.requireFreeText(value, field: field)
        } catch {
            throw PlatformError(.statusRequestInvalid, error.message, details: ["field": field])
        }
    }

    /// Characters of a component id: `module:apps`, `adapter:local`, `blob-store`.
    static let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_:.")

    /// The affected components, de-duplicated in order: at least one, each a component the
    /// board tracks (or, with none declared, a well-formed id).
    static func components(_ ids: [String], known: [MonitoredComponent]) throws(PlatformError) -> [String] {
        var result: [String] = []
        for id in ids where !result.contains(id) { result.append(id) }
        guard !result.isEmpty, result.count <= 100 else {
            throw PlatformError(.statusRequestInvalid, "name 1 to 100 affected components", details: ["field": "components"])
        }
        for id in result {
            let wellFormed = !id.isEmpty && id.count <= 128 && id.allSatisfy { allowed.contains($0) }
            let isKnown = known.isEmpty ? wellFormed : known.contains { $0.id == id }
            guard isKnown else {
                let names = known.map(\.id).joined(separator: ", ")
                throw PlatformError(.statusRequestInvalid, "unknown component \(TextPolicy.escapedIdentifier(id))\(names.isEmpty ? "" : "; the components are \(names)")",
                                    details: ["field": "components", "component": TextPolicy.escapedIdentifier(id)])
            }
        }
        return result
    }

    /// A window's start and end: RFC 3339 in UTC, end after start and after now, at most a year long.
    static func period(startsAt: String, endsAt: String, now: Timestamp) throws(PlatformError) -> (Timestamp, Timestamp) {
        guard let start = Timestamp(rfc3339: startsAt) else {
            throw PlatformError(.statusRequestInvalid, "startsAt \(TextPolicy.escapedFreeText(startsAt)) is not RFC 3339 in UTC (2026-12-01T02:00:00Z)",
                                details: ["field": "startsAt"])
        }
        guard let end = Timestamp(rfc3339: endsAt) else {
            throw PlatformError(.statusRequestInvalid, "endsAt \(TextPolicy.escapedFreeText(endsAt)) is not RFC 3339 in UTC (2026-12-01T04:00:00Z)",
                                details: ["field": "endsAt"])
        }
        guard start < end, now < end else {
            throw PlatformError(.statusRequestInvalid, "a maintenance window must end after it starts and after now", details: ["field": "endsAt"])
        }
        guard end.millisecondsSinceEpoch - start.millisecondsSinceEpoch <= 366 * 86_400_000 else {
            throw PlatformError(.statusRequestInvalid, "a maintenance window lasts at most a year", details: ["field": "endsAt"])
        }
        return (start, end)
    }

    /// The kind an undeclared id's prefix says.
    static func kind(of id: String) -> ComponentKind {
        if id.hasPrefix("adapter:") { return .adapter }
        if id.hasPrefix("module:") { return .module }
        return .dependency
    }
}
