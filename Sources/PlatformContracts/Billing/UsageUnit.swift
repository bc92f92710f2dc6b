/// How the rating worker prices a unit, and which product path emits it.
public enum RatingCategory: String, Sendable, Codable, Hashable, CaseIterable {
    /// Time an instance runs (`app-runtime-hour`); the app platform meters it.
    case runtime
    /// Time GPUs are held, per GPU model (`gpu-hour.h100`); the app platform meters it.
    case gpu
    /// Bytes held over time (`registry-storage-gib-hour`); sampled periodically.
    case storage
    /// Counted consumption another product reports through `POST /v1/usage/events`
    /// (`inference.token`).
    case consumption
}

/// Whether a unit may be emitted: `deprecated` units still validate and are metered as their
/// `replaced_by` unit; `retired` units are refused at ingest.
public enum UsageUnitLifecycle: String, Sendable, Codable, Hashable, CaseIterable {
    case active, deprecated, retired
}

/// One unit of the usage-unit registry (`manifests/platform/usage-units.yaml`), in the seed's
/// shape: id, owner, version, precision, rating category and lifecycle.
///
/// Quantities are integers in the unit's ``precision``: the number of quantity steps in one
/// unit. `gpu-hour.h100` has precision 3600, so its quantities count GPU-seconds; storage in
/// GiB-hours has precision 3600 × 2³⁰ (byte-seconds). Nothing is ever a floating-point number.
public struct UsageUnitDefinition: Sendable, Codable, Hashable {
    /// `gpu-hour.h100`.
    public var unitId: String
    /// The product (products.yaml id) that owns and may emit it: `apps`, `artifacts`,
    /// `token-factory`.
    public var owner: String
    /// Bumped whenever the unit's meaning or precision changes; events carry the version they
    /// were measured under.
    public var version: Int
    /// Quantity steps per one unit (see the type's discussion).
    public var precision: Int64
    /// How it is rated and who emits it.
    public var ratingCategory: RatingCategory
    /// Whether it may be emitted.
    public var lifecycle: UsageUnitLifecycle
    /// The unit that replaces a deprecated one.
    public var replacedBy: String?
    /// What one unit is.
    public var description: String
    /// Human display name (`GPU-hour (H100)`).
    public var display: String

    enum CodingKeys: String, CodingKey {
        case unitId = "unit_id", owner, version, precision, ratingCategory = "rating_category", lifecycle,
             replacedBy = "replaced_by", description, display
    }

    /// Creates a definition.
    public init(unitId: String, owner: String, version: Int, precision: Int64, ratingCategory: RatingCategory,
                lifecycle: UsageUnitLifecycle, replacedBy: String? = nil, description: String, display: String) {
        self.unitId = unitId
        self.owner = owner
        self.version = version
        self.precision = precision
        self.ratingCategory = ratingCategory
        self.lifecycle = lifecycle
        self.replacedBy = replacedBy
        self.description = description
        self.display = display
    }
}

/// The usage-unit registry file.
public struct UsageUnitRegistry: Sendable, Codable, Equatable {
    /// Always `usage-unit`.
    public var registry: String
    /// File version.
    public var version: Int
    /// Every unit.
    public var units: [UsageUnitDefinition]

    /// Creates a registry.
    public init(registry: String = "usage-unit", version: Int, units: [UsageUnitDefinition]) {
        self.registry = registry
        self.version = version
        self.units = units
    }

    /// The unit with that id.
    public func unit(_ id: String) -> UsageUnitDefinition? { units.first { $0.unitId == id } }

    /// The unit GPU time on `model` (a gpu-models.yaml id) is metered in: `gpu-hour.<model>`,
    /// or `gpu-hour.unspecified` when the placement did not name a model.
    public static func gpuHourUnit(model: String?) -> String { "gpu-hour.\(model ?? "unspecified")" }
}
