import PlatformContracts

/// The usage units one instance is metered in, decided once at admission from the manifest's
/// `billing.usageUnit`, the placement's GPU model and the usage-unit registry, and stored on
/// the instance row, so a restarted server (or a changed manifest) meters an instance exactly
/// as it was admitted and re-emits identical events.
struct InstanceMetering: Codable, Sendable, Hashable {
    /// The runtime unit (`app-runtime-hour`), or nil when the manifest names a consumption unit
    /// (`inference.token`): the product reports that usage itself and no run time is billed.
    var runtimeUnit: String?
    /// The runtime unit's registry version.
    var runtimeVersion: Int
    /// `gpu-hour.<model>`: GPU time is always metered per model, whatever the manifest says.
    var gpuUnit: String
    /// The GPU unit's registry version.
    var gpuVersion: Int

    /// The default runtime unit.
    static let defaultRuntimeUnit = "app-runtime-hour"

    /// Decides the units.
    /// - Parameters:
    ///   - usageUnit: The manifest's `billing.usageUnit` (already validated: registered, not retired).
    ///   - gpuModel: The placed device's model (`GPUDevice.modelId`), else the requested model.
    ///   - units: The usage-unit registry; without one the defaults are used as named.
    static func resolve(usageUnit: String?, gpuModel: String?, units: UsageUnitRegistry?) -> InstanceMetering {
        var runtime: String? = defaultRuntimeUnit
        if let usageUnit, let units, var unit = units.unit(usageUnit) {
            // A deprecated unit is metered as its replacement (app-runtime.second → app-runtime-hour).
            var hops = 0
            while unit.lifecycle == .deprecated, let next = unit.replacedBy.flatMap(units.unit), hops < 8 {
                unit = next
                hops += 1
            }
            switch unit.ratingCategory {
            case .runtime: runtime = unit.unitId
            case .consumption: runtime = nil
            case .gpu, .storage: runtime = defaultRuntimeUnit
            }
        }
        var gpuUnit = UsageUnitRegistry.gpuHourUnit(model: gpuModel)
        if let units, units.unit(gpuUnit) == nil { gpuUnit = UsageUnitRegistry.gpuHourUnit(model: nil) }
        return InstanceMetering(runtimeUnit: runtime, runtimeVersion: runtime.flatMap { units?.unit($0)?.version } ?? 1,
                                gpuUnit: gpuUnit, gpuVersion: units?.unit(gpuUnit)?.version ?? 1)
    }

    /// An instance admitted before instances stored their units: the defaults, GPUs under the
    /// model its launch spec requested.
    static func legacy(gpuModel: String?) -> InstanceMetering {
        InstanceMetering(runtimeUnit: defaultRuntimeUnit, runtimeVersion: 1, gpuUnit: UsageUnitRegistry.gpuHourUnit(model: gpuModel),
                         gpuVersion: 1)
    }
}
