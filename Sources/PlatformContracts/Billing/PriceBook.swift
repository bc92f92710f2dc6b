/// The versioned price book: a price per plan and usage unit, with effective dates, in one
/// currency at one asset scale. It ships in `manifests/platform/price-book.yaml` and reaches
/// the rating worker inside the policy snapshot (``PolicySnapshot/priceBook``), so a rated
/// charge names the snapshot and the price-book version it was priced under.
public struct PriceBook: Sendable, Codable, Hashable {
    /// One price.
    public struct Entry: Sendable, Codable, Hashable {
        /// A plan id of the policy registry, or `*` for every plan without its own entry.
        public var plan: String
        /// A usage-unit id.
        public var unit: String
        /// Price of one unit (``UsageUnitDefinition/precision`` quantity steps), in integer
        /// amounts at the book's ``PriceBook/assetScale``.
        public var unitPrice: Int64
        /// First instant it applies (inclusive).
        public var effectiveFrom: Timestamp
        /// First instant it no longer applies; nil while current.
        public var effectiveUntil: Timestamp?

        enum CodingKeys: String, CodingKey {
            case plan, unit, unitPrice = "unit_price", effectiveFrom = "effective_from", effectiveUntil = "effective_until"
        }

        /// Creates an entry.
        public init(plan: String, unit: String, unitPrice: Int64, effectiveFrom: Timestamp, effectiveUntil: Timestamp? = nil) {
            self.plan = plan
            self.unit = unit
            self.unitPrice = unitPrice
            self.effectiveFrom = effectiveFrom
            self.effectiveUntil = effectiveUntil
        }
    }

    /// Bumped on every change; recorded on every rated charge.
    public var version: Int
    /// ISO 4217 code (`USD`).
    public var currency: String
    /// Decimal places of the integer amounts (TigerBeetle's asset scale): 6 means amounts
    /// are micro-dollars, so a 60-second interval of a $2.50 GPU-hour is priced exactly.
    public var assetScale: Int
    /// Every price.
    public var entries: [Entry]

    enum CodingKeys: String, CodingKey {
        case version, currency, assetScale = "asset_scale", entries
    }

    /// Creates a price book.
    public init(version: Int, currency: String, assetScale: Int, entries: [Entry]) {
        self.version = version
        self.currency = currency
        self.assetScale = assetScale
        self.entries = entries
    }

    /// The entry that prices `unit` for `plan` at `at`: the plan's own, else the `*` entry.
    public func price(plan: String, unit: String, at: Timestamp) -> Entry? {
        func effective(_ entry: Entry) -> Bool { entry.unit == unit && entry.effectiveFrom <= at && (entry.effectiveUntil.map { at < $0 } ?? true) }
        return entries.first { $0.plan == plan && effective($0) } ?? entries.first { $0.plan == "*" && effective($0) }
    }

    /// `quantity × unitPrice ÷ precision`, rounded half to even, in 128-bit arithmetic.
    /// - Returns: nil when the result does not fit in 64 bits.
    public static func amount(quantity: Int64, unitPrice: Int64, precision: Int64) -> Int64? {
        guard precision > 0 else { return nil }
        let product = Int128(quantity) * Int128(unitPrice)
        var quotient = product / Int128(precision)
        let remainder = product % Int128(precision)
        let twice = (remainder < 0 ? -remainder : remainder) * 2
        if twice > Int128(precision) || (twice == Int128(precision) && quotient % 2 != 0) {
            quotient += product < 0 ? -1 : 1
        }
        return Int64(exactly: quotient)
    }
}
