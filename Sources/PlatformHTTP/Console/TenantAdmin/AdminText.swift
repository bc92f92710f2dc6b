import Foundation
import PlatformClient
import PlatformContracts

/// Small helpers the tenant-admin pages share.
enum AdminText {
    /// Whether `error` is the API refusing with one of `codes` (a read the caller may not make
    /// is left out of a page instead of failing it).
    static func isRefusal(_ error: any Error, _ codes: Set<ErrorCode> = [.iamForbidden, .iamNotFound]) -> Bool {
        guard let error = error as? PlatformClientError, let code = error.code else { return false }
        return codes.contains(code)
    }

    /// "in 29 days", "in 5 hours", "2 days ago": how far `rfc3339` is from `now`.
    static func relative(_ rfc3339: String, now: Timestamp = .now()) -> String {
        guard let time = Timestamp(rfc3339: rfc3339) else { return "" }
        let seconds = (Int64(time.millisecondsSinceEpoch) - Int64(now.millisecondsSinceEpoch)) / 1000
        let magnitude = abs(seconds)
        let text: String
        switch magnitude {
        case 86_400...: text = plural(magnitude / 86_400, "day")
        case 3600...: text = plural(magnitude / 3600, "hour")
        case 60...: text = plural(magnitude / 60, "minute")
        default: text = plural(magnitude, "second")
        }
        return seconds >= 0 ? "in \(text)" : "\(text) ago"
    }

    static func plural(_ count: Int64, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    /// The shortened, human form of a timestamp (`2026-12-07 08:32 UTC`).
    static func short(_ rfc3339: String) -> String {
        guard rfc3339.count >= 16 else { return rfc3339 }
        let date = rfc3339.prefix(10)
        let time = rfc3339.dropFirst(11).prefix(5)
        return "\(date) \(time) UTC"
    }

    /// A policy value as the CLI writes it (`20`, `true`, `a,b`, `H100=8`).
    static func policyValue(_ value: PolicyValue) -> String {
        switch value {
        case .integer(let number): String(number)
        case .flag(let flag): flag ? "true" : "false"
        case .list(let items): items.isEmpty ? "(none)" : items.joined(separator: ", ")
        case .integerMap(let map): map.isEmpty ? "(none)" : map.keys.sorted().map { "\($0)=\(map[$0]!)" }.joined(separator: ", ")
        }
    }

    /// A path with `?tenant=` kept when the page was filtered.
    static func path(_ base: String, tenant: String?) -> String {
        guard let tenant, let encoded = tenant.addingPercentEncoding(withAllowedCharacters: .alphanumerics) else { return base }
        return base + "?tenant=" + encoded
    }
}
