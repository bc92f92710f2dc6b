/// Decimal text (`50`, `50.5`, `0.000001`) to an integer amount at an asset scale, exactly:
/// what the API reads for credit grants and budget limits, so no amount ever passes through
/// floating point.
public enum MoneyText {
    /// The amount of `text` at `scale` decimal places.
    /// - Throws: ``ErrorCode/billingAmountInvalid`` for anything but ASCII digits with at most
    ///   one `.` and at most `scale` fraction digits, for zero or less when `positive`, and
    ///   for an amount past `Int64`.
    public static func amount(_ text: String, scale: Int, positive: Bool = true) throws(PlatformError) -> Int64 {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0], fraction = parts.count > 1 ? parts[1] : ""
        let isDigits: (Substring) -> Bool = { $0.utf8.allSatisfy { (48...57).contains($0) } }
        guard !whole.isEmpty, whole.count <= 18, isDigits(whole), isDigits(fraction), fraction.count <= scale,
              parts.count == 1 || !fraction.isEmpty
        else {
            throw PlatformError(.billingAmountInvalid, "an amount is a decimal with at most \(scale) fraction digits (50.00); got \"\(text.prefix(40))\"",
                                details: ["amount": String(text.prefix(40))])
        }
        let digits = String(whole) + String(fraction) + String(repeating: "0", count: scale - fraction.count)
        guard let amount = Int64(digits), !positive || amount > 0 else {
            throw PlatformError(.billingAmountInvalid, "the amount \(text.prefix(40)) is \(positive ? "not above zero or " : "")too large",
                                details: ["amount": String(text.prefix(40))])
        }
        return amount
    }

    /// Whether `text` is a decimal ``amount(_:scale:positive:)`` would take at some scale: what
    /// a client can check before it knows the price book's scale.
    public static func isPositiveDecimal(_ text: String) -> Bool {
        let fraction = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).dropFirst().first?.count ?? 0
        return (try? amount(text, scale: fraction)) != nil
    }
}
