import Foundation
import ManifestKit
import PlatformContracts
import RegistryService
import Testing

/// `billing.usageUnit` is honoured by metering, so the validator refuses what metering could
/// not honour: a retired unit, and a GPU unit on an app that requests no GPU.
@Suite("Manifest usage units")
struct UsageUnitCheckTests {
    static func validatorRetiring(_ unit: String) throws -> ManifestValidator {
        let files = try RegistryFiles.at(checkout.appendingPathComponent("manifests/platform"), setting: "the checkout")
        var units = try files.usageUnits()
        let index = try #require(units.units.firstIndex { $0.unitId == unit })
        units.units[index].lifecycle = .retired
        let context = ManifestContext(scopes: try files.scopes(), usageUnits: units, artifactTypes: try files.artifactTypes(),
                                      gpuModels: try files.gpuModels())
        return ManifestValidator(schema: try JSONSchema(data: try files.manifestSchema()), context: context)
    }

    static func hello() throws -> String {
        try String(contentsOf: checkout.appendingPathComponent("manifests/apps/hello.yaml"), encoding: .utf8)
    }

    @Test("a retired usage unit is refused with manifest.usage_unit_retired at its line")
    func retiredUsageUnitIsRefused() throws {
        let text = try Self.hello()
        #expect(validator.validate(text: text, file: "hello.yaml").valid)
        let report = try Self.validatorRetiring("app-runtime-hour").validate(text: text, file: "hello.yaml")
        #expect(!report.valid)
        let diagnostic = try #require(report.diagnostics.first { $0.code == "manifest.usage_unit_retired" })
        #expect(diagnostic.pointer == "/billing/usageUnit")
        #expect(diagnostic.message == "usage unit `app-runtime-hour` is retired and is no longer metered")
    }

    @Test("a GPU usage unit needs a GPU; a deprecated one still validates")
    func gpuUnitNeedsGPUs() throws {
        let text = try Self.hello()
        for unit in ["gpu-hour", "gpu-hour.h100", "gpu.second"] {
            let report = validator.validate(text: text.replacingOccurrences(of: "usageUnit: app-runtime-hour", with: "usageUnit: \(unit)"),
                                            file: "hello.yaml")
            #expect(report.diagnostics.map(\.code) == ["manifest.usage_unit_needs_gpu"], "\(unit)")
        }
        let deprecated = validator.validate(text: text.replacingOccurrences(of: "usageUnit: app-runtime-hour", with: "usageUnit: app-runtime.second"),
                                            file: "hello.yaml")
        #expect(deprecated.valid && deprecated.diagnostics.isEmpty)
    }
}
