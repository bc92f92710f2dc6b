import Foundation
import PlatformContracts

/// `price-book.yaml` as written: the book plus the registry kind line.
struct PriceBookFile: RegistryDocument, Codable {
    var registry: String
    var version: Int
    var currency: String
    var assetScale: Int
    var entries: [PriceBook.Entry]

    enum CodingKeys: String, CodingKey {
        case registry, version, currency, assetScale = "asset_scale", entries
    }

    var book: PriceBook { PriceBook(version: version, currency: currency, assetScale: assetScale, entries: entries) }

    /// The file of `book` (what `/v1/registries/price-book` serves).
    init(_ book: PriceBook) {
        registry = "price-book"
        version = book.version
        currency = book.currency
        assetScale = book.assetScale
        entries = book.entries
    }
}

extension RegistryFiles {
    /// The price book (`price-book.yaml`), unchecked; ``RegistrySet/load(_:)`` checks it
    /// against the units and plans with ``checkPriceBook(_:units:plans:file:)``.
    public func priceBook(text: String? = nil) throws(PlatformError) -> PriceBook {
        let file: PriceBookFile = try typed("price-book.yaml", kind: "price-book", text: text)
        return file.book
    }

    /// Checks the usage-unit registry: owners are registered products, precision and version
    /// are positive, a deprecated unit names an existing `replaced_by` (and only a deprecated
    /// one names one), and every GPU model has its `gpu-hour.<model>` unit (plus
    /// `gpu-hour.unspecified`), since the app platform meters every GPU in one of them.
    /// - Throws: ``ErrorCode/configInvalid`` naming the file and the unit.
    static func checkUsageUnits(_ registry: UsageUnitRegistry, products: Set<String>, gpuModels: GPUModelRegistry,
                                file: String) throws(PlatformError) {
        let ids = Set(registry.units.map(\.unitId))
        for unit in registry.units {
            guard products.contains(unit.owner) else {
                throw PlatformError(.configInvalid, "\(file): unit \(unit.unitId) is owned by \(unit.owner), which is not a registered product")
            }
            guard unit.precision > 0 else {
                throw PlatformError(.configInvalid, "\(file): unit \(unit.unitId) has precision \(unit.precision); it must be > 0")
            }
            guard unit.version >= 1 else {
                throw PlatformError(.configInvalid, "\(file): unit \(unit.unitId) has version \(unit.version); it must be ≥ 1")
            }
            switch (unit.lifecycle, unit.replacedBy) {
            case (.deprecated, nil):
                throw PlatformError(.configInvalid, "\(file): deprecated unit \(unit.unitId) must name its replaced_by")
            case (_, let replacement?) where !ids.contains(replacement) || replacement == unit.unitId:
                throw PlatformError(.configInvalid, "\(file): unit \(unit.unitId) is replaced by \(replacement), which is not another registered unit")
            case (_, let replacement?) where registry.unit(replacement)?.lifecycle == .retired:
                throw PlatformError(.configInvalid, "\(file): unit \(unit.unitId) is replaced by the retired unit \(replacement)")
            default:
                break
            }
        }
        for model in gpuModels.models.map(\.modelId) + [nil] {
            let id = UsageUnitRegistry.gpuHourUnit(model: model)
            guard let unit = registry.unit(id), unit.ratingCategory == .gpu, unit.lifecycle == .active else {
                throw PlatformError(.configInvalid, "\(file): GPU model \(model ?? "unspecified") has no active gpu-category unit \(id); "
                                    + "the app platform meters its GPU time in it")
            }
        }
    }

    /// Checks the price book: a currency and a non-negative asset scale, every entry names a
    /// registered unit and a registered plan (or `*`), prices are ≥ 0, each entry's window is
    /// non-empty, and no two entries for the same plan and unit overlap in time (so a price
    /// at any instant is never ambiguous).
    /// - Throws: ``ErrorCode/configInvalid`` naming the file and the entry.
    static func checkPriceBook(_ book: PriceBook, units: UsageUnitRegistry, plans: Set<String>, file: String) throws(PlatformError) {
        guard book.version >= 1, book.currency.count == 3, book.currency.allSatisfy({ $0.isUppercase && $0.isASCII }),
              (0...18).contains(book.assetScale) else {
            throw PlatformError(.configInvalid, "\(file): needs a version ≥ 1, an ISO 4217 currency and an asset_scale in 0...18")
        }
        for (index, entry) in book.entries.enumerated() {
            let name = "entry \(index + 1) (\(entry.plan) / \(entry.unit))"
            guard units.unit(entry.unit) != nil else {
                throw PlatformError(.configInvalid, "\(file): \(name) prices unknown unit \(entry.unit)")
            }
            guard entry.plan == "*" || plans.contains(entry.plan) else {
                throw PlatformError(.configInvalid, "\(file): \(name) names unknown plan \(entry.plan)")
            }
            guard entry.unitPrice >= 0 else {
                throw PlatformError(.configInvalid, "\(file): \(name) has a negative unit_price \(entry.unitPrice)")
            }
            if let until = entry.effectiveUntil, until <= entry.effectiveFrom {
                throw PlatformError(.configInvalid, "\(file): \(name) ends (\(until.rfc3339)) before it starts (\(entry.effectiveFrom.rfc3339))")
            }
            for (otherIndex, other) in book.entries.enumerated().prefix(index)
            where other.plan == entry.plan && other.unit == entry.unit && overlap(entry, other) {
                throw PlatformError(.configInvalid, "\(file): \(name) overlaps entry \(otherIndex + 1) in time; end one with effective_until")
            }
        }
    }

    private static func overlap(_ a: PriceBook.Entry, _ b: PriceBook.Entry) -> Bool {
        let aEndsAfterBStarts = a.effectiveUntil.map { $0 > b.effectiveFrom } ?? true
        let bEndsAfterAStarts = b.effectiveUntil.map { $0 > a.effectiveFrom } ?? true
        return aEndsAfterBStarts && bEndsAfterAStarts
    }
}
