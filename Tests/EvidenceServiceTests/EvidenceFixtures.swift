import Foundation
import ManifestKit
import PlatformContracts
import RegistryService
@testable import EvidenceService

/// The shipped registry folder and a validator over it, as the server builds them.
enum EvidenceFixtures {
    static let registryDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("manifests/platform")

    static func shippedValidator() throws -> EvidenceValidator {
        let set = try RegistrySet.load(RegistryFiles(directory: registryDirectory))
        return EvidenceValidator(types: set.evidenceTypes, schemas: set.evidenceSchemas)
    }

    static func predicateType(_ id: String) -> String {
        id == "slsa-provenance" ? "https://slsa.dev/provenance/v1" : "https://platform.local/evidence/\(id)/v1"
    }

    static func json(_ object: Any) throws -> [UInt8] {
        [UInt8](try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    /// A copy of the shipped registry folder that `edit` may change.
    static func withRegistryCopy(_ edit: (URL) throws -> Void) throws -> Result<RegistrySet, PlatformError> {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-registry-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.copyItem(at: registryDirectory, to: copy)
        try edit(copy)
        do {
            return .success(try RegistrySet.load(RegistryFiles(directory: copy)))
        } catch {
            return .failure(error)
        }
    }

    /// A SARIF 2.1.0 log whose results say what `results` say.
    static func sarif(results: [[String: Any]], rules: [[String: Any]] = [], extra: [String: Any] = [:]) -> [String: Any] {
        var log: [String: Any] = [
            "version": "2.1.0",
            "runs": [["tool": ["driver": ["name": "codeql", "rules": rules]], "results": results]],
        ]
        log.merge(extra) { _, new in new }
        return log
    }

    /// A CycloneDX VEX BOM with `vulnerabilities`.
    static func cycloneDX(_ vulnerabilities: [[String: Any]]) -> [String: Any] {
        ["bomFormat": "CycloneDX", "specVersion": "1.5", "vulnerabilities": vulnerabilities]
    }
}
