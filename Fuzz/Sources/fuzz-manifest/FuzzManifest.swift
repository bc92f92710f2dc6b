import Foundation
import FuzzSupport
import ManifestKit
import PlatformContracts

/// The validator over the checkout's own schema and registries (`FUZZ_REPO_ROOT`, else found
/// from this file's path), built once.
let validator: ManifestValidator = {
    let root = ProcessInfo.processInfo.environment["FUZZ_REPO_ROOT"].map { URL(fileURLWithPath: $0) }
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    func text(_ name: String) -> String {
        guard let text = try? String(contentsOf: root.appendingPathComponent("manifests/platform/\(name)"), encoding: .utf8) else {
            fatalError("fuzz-manifest: cannot read manifests/platform/\(name) under \(root.path); set FUZZ_REPO_ROOT")
        }
        return text
    }
    do {
        let schema = try JSONSchema(data: Data(contentsOf: root.appendingPathComponent("manifests/schema/app-manifest.v1.schema.json")))
        let context = ManifestContext(
            scopes: try YAMLHead.decode(ScopeRegistry.self, from: text("scopes.yaml")),
            usageUnits: try YAMLHead.decode(UsageUnitRegistry.self, from: text("usage-units.yaml")),
            artifactTypes: try YAMLHead.decode(ArtifactTypeRegistry.self, from: text("artifact-types.yaml")),
            gpuModels: try YAMLHead.decode(GPUModelRegistry.self, from: text("gpu-models.yaml")))
        return ManifestValidator(schema: schema, context: context)
    } catch {
        fatalError("fuzz-manifest: cannot build the validator: \(error)")
    }
}()

/// App manifests as `POST /v1/projects/P/apps` and `appctl manifest validate` read them: the
/// document limits, YAML with positions, the schema and the semantic rules.
///
/// Properties: a report is valid exactly when it has no error; every diagnostic points inside
/// the text; diagnostics come in file order; a document over the limits gets exactly one
/// `manifests.too_complex`; validating is deterministic.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: bytes(data, size), as: UTF8.self)
    let report = validator.validate(text: text, file: "fuzz.yaml")
    require(report.valid == !report.diagnostics.contains { $0.severity == .error }, "valid disagrees with the diagnostics")
    // YAML breaks lines at \n, \r and (libyaml) NEL, LS and PS; the end of input may sit on the line after the last.
    let lines = text.unicodeScalars.count { "\n\r\u{85}\u{2028}\u{2029}".unicodeScalars.contains($0) } + 1
    for diagnostic in report.diagnostics {
        require(diagnostic.line >= 1 && diagnostic.column >= 1, "diagnostic before the text: \(diagnostic.text)")
        require(diagnostic.line <= lines + 1, "diagnostic past the text (\(lines) lines): \(diagnostic.text)")
    }
    let order = report.diagnostics.map { [$0.line, $0.column] }
    require(order == order.sorted { $0.lexicographicallyPrecedes($1) }, "diagnostics out of file order")
    let tooComplex: Bool
    do {
        try DocumentLimits.standard.check(yaml: text)
        tooComplex = false
    } catch {
        tooComplex = true
    }
    if tooComplex {
        require(report.diagnostics.map(\.code) == [ErrorCode.manifestsTooComplex.rawValue], "a refused document was read further")
    } else {
        require(!report.diagnostics.contains { $0.code == ErrorCode.manifestsTooComplex.rawValue }, "too_complex within the limits")
    }
    let again = validator.validate(text: text, file: "fuzz.yaml")
    if report.diagnostics.contains(where: { $0.code == "manifest.duplicate_key" }) {
        // Yams reports one mapping's duplicates at the mark of the first key in its own sort of
        // Nodes, which is not a total order when a key is a collection: where it points can
        // change from call to call (Dictionary order differs per instance). What is reported
        // must not.
        require(again.diagnostics.map { [$0.code, $0.pointer, $0.message] } == report.diagnostics.map { [$0.code, $0.pointer, $0.message] },
                "duplicate-key validation is not deterministic")
    } else {
        require(again == report, "validation is not deterministic")
    }
    return 0
}

/// The executable's entry (SwiftPM links `main` to `<module>_main`): libFuzzer's driver.
@_cdecl("fuzz_manifest_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzz(data ?? emptyInput, size) }
}
