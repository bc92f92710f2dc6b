/// A usage quantity (integer steps of its unit's precision) written in whole units with six
/// decimals, for statements and usage summaries: 5400 GPU-seconds of `gpu-hour.h100`
/// (precision 3600) is `1.500000`. Precisions need not be powers of ten (storage counts
/// byte-seconds per GiB-hour), so the quotient is rounded half-even in `Int128`, never
/// through floating point; the integer quantity stays the exact figure.
public enum UsageQuantityText {
    /// Decimal places of the display.
    public static let scale = 6

    /// `quantity / precision` to ``scale`` places; the bare quantity when `precision` is not
    /// positive (a unit the registry no longer lists).
    public static func display(_ quantity: Int64, precision: Int64) -> String {
        // quantity × 10⁶ ÷ precision, half-even in Int128: the pricing arithmetic with a
        // "price" of one unit at six decimals.
        guard precision > 0, let value = PriceBook.amount(quantity: quantity, unitPrice: 1_000_000, precision: precision) else {
            return String(quantity)
        }
        return Money.decimal(value, scale: scale)
    }
}
