import Foundation
import ManifestKit
import PlatformContracts
import RegistryService

/// One manifest validated once, with the document limits or with them lifted (what the
/// validator did before it had them), for `/usr/bin/time -v` to read time and peak RSS:
///
/// `PlatformBenchmarks manifest-once bomb.yaml [--unlimited]`
enum ManifestBombBenchmark {
    static func run(file: String, unlimited: Bool) throws {
        let registries = try RegistryFiles.at(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("manifests/platform"),
                                           setting: "nothing: run the benchmarks from the checkout")
        var validator = try registries.manifestValidator()
        if unlimited { validator.limits = DocumentLimits(maxBytes: .max, maxNodes: .max, maxDepth: .max, maxAliases: .max) }
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let start = ContinuousClock.now
        let report = validator.validate(text: text, file: file)
        let elapsed = ContinuousClock.now - start
        print("\(file) (\(unlimited ? "limits lifted" : "standard limits")): \(report.valid ? "valid" : "invalid"), \(elapsed)")
        for diagnostic in report.diagnostics.prefix(3) { print("  \(diagnostic.text)") }
    }
}
