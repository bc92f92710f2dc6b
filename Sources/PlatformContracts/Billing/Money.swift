/// An integer amount of a currency at an asset scale: `{"currency": "USD", "amount": 2500000,
/// "scale": 6, "display": "2.500000"}`. Never floating point.
public struct Money: Sendable, Codable, Hashable {
    /// ISO 4217 code.
    public var currency: String
    /// Integer amount at ``scale``.
    public var amount: Int64
    /// Decimal places of ``amount``.
    public var scale: Int
    /// ``amount`` written as a decimal (`-1.250000`), for people and CSV.
    public var display: String

    /// Creates an amount.
    public init(currency: String, amount: Int64, scale: Int) {
        self.currency = currency
        self.amount = amount
        self.scale = scale
        self.display = Self.decimal(amount, scale: scale)
    }

    /// `amount` at `scale` as a decimal string, exactly.
    public static func decimal(_ amount: Int64, scale: Int) -> String {
        guard scale > 0 else { return String(amount) }
        let magnitude = amount.magnitude
        var digits = String(magnitude)
        if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
        let split = digits.index(digits.endIndex, offsetBy: -scale)
        return (amount < 0 ? "-" : "") + digits[..<split] + "." + digits[split...]
    }
}
