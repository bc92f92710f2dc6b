/// What metering recorded for one instance: `GET /v1/projects/P/instances/I/usage`.
public struct InstanceUsage: Sendable, Codable, Hashable {
    /// One usage unit's total.
    public struct Total: Sendable, Codable, Hashable {
        /// A unit of the usage-unit registry (`app-runtime-hour`, `gpu-hour.h100`).
        public var unit: String
        /// The sum of the recorded quantities, in the unit's scale.
        public var quantity: Int64
        /// How many metering intervals were recorded.
        public var intervals: Int

        /// Creates a total.
        public init(unit: String, quantity: Int64, intervals: Int) {
            self.unit = unit
            self.quantity = quantity
            self.intervals = intervals
        }
    }

    /// The instance.
    public var instance: String
    /// The project charged.
    public var project: String
    /// Totals per unit, by unit id.
    public var totals: [Total]
    /// The newest recorded interval's end (nil before the first interval ends).
    public var recordedThrough: Timestamp?

    /// Creates a usage summary.
    public init(instance: String, project: String, totals: [Total], recordedThrough: Timestamp?) {
        self.instance = instance
        self.project = project
        self.totals = totals
        self.recordedThrough = recordedThrough
    }
}
