import Foundation

/// A calendar month in UTC (`2026-12`): the period of budgets and statements.
public struct BillingPeriod: Sendable, Codable, Hashable, Comparable, CustomStringConvertible {
    /// The year.
    public let year: Int
    /// The month, 1–12.
    public let month: Int

    /// Parses `YYYY-MM`.
    /// - Throws: ``ErrorCode/billingPeriodInvalid``.
    public init(_ text: String) throws(PlatformError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let month = Int(parts[1]),
              (1...12).contains(month), year >= 1970
        else { throw PlatformError(.billingPeriodInvalid, "period \(text) is not a month written YYYY-MM", details: ["period": text]) }
        self.year = year
        self.month = month
    }

    /// The period `at` falls in.
    public init(containing at: Timestamp) {
        let components = Self.calendar.dateComponents([.year, .month], from: Date(timeIntervalSince1970: Double(at.millisecondsSinceEpoch) / 1000))
        year = components.year ?? 1970
        month = components.month ?? 1
    }

    /// The first instant of the month.
    public var start: Timestamp { Self.instant(year: year, month: month) }
    /// The first instant of the next month (exclusive end).
    public var end: Timestamp { month == 12 ? Self.instant(year: year + 1, month: 1) : Self.instant(year: year, month: month + 1) }
    /// The month before.
    public var previous: BillingPeriod { month == 1 ? BillingPeriod(year: year - 1, month: 12) : BillingPeriod(year: year, month: month - 1) }
    /// `2026-12`.
    public var description: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }

    public static func < (lhs: BillingPeriod, rhs: BillingPeriod) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try BillingPeriod(text) } catch { throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private init(year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        return calendar
    }()

    private static func instant(year: Int, month: Int) -> Timestamp {
        let date = calendar.date(from: DateComponents(year: year, month: month, day: 1)) ?? Date(timeIntervalSince1970: 0)
        return Timestamp(millisecondsSinceEpoch: UInt64(max(0, date.timeIntervalSince1970 * 1000)))
    }
}
