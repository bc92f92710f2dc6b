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
        guard precision > 0 else { return String(quantity) }
        let numerator = Int128(quantity) * 1_000_000, divisor = Int128(precision)
        var quotient = numerator / divisor
        let remainder = numerator % divisor
        let twice = remainder.magnitude * 2, whole = divisor.magnitude
        if twice > whole || (twice == whole && quotient % 2 != 0) { quotient += numerator < 0 ? -1 : 1 }
        guard let value = Int64(exactly: quotient) else { return String(quantity) }
        return Money.decimal(value, scale: scale)
    }
}
