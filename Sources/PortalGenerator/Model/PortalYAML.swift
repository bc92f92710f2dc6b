import CYAMLLimits
import PlatformContracts
import Yams

/// The portal's one way to read YAML data (app manifests, registries, guides): under the same
/// ``PlatformContracts/DocumentLimits`` as every other entry point, checked before Yams expands
/// any alias. (PortalGenerator sits beside ManifestKit, so it calls the measurer itself.)
enum PortalYAML {
    /// The document as Yams' `Any`; throws ``PlatformContracts/DocumentTooComplex`` before parsing
    /// a document over the limits, or Yams' error for one that is not YAML.
    static func load(_ text: String, limits: DocumentLimits = .standard) throws -> Any? {
        var bytes = text
        let measured = bytes.withUTF8 { buffer in
            platform_yaml_measure(buffer.baseAddress, buffer.count, platform_yaml_limits(
                max_bytes: limits.maxBytes, max_nodes: limits.maxNodes, max_depth: limits.maxDepth, max_aliases: limits.maxAliases))
        }
        if let refusal = DocumentTooComplex(verdict: Int(measured.verdict.rawValue), line: measured.line, column: measured.column, limits: limits) {
            throw refusal
        }
        return try Yams.load(yaml: text)
    }
}
