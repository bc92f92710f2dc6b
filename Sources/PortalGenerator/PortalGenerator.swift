import PlatformContracts

/// Renders the Docusaurus-ready portal from the contracts (manifest schema, registries,
/// OpenAPI, adapter capabilities, CLI help). The pipeline lands with the portal issue; the
/// error-code reference it will render already comes from ``ErrorCode/all``.
public enum PortalGenerator {
    /// The portal's error-code reference as Markdown table rows, in code order.
    public static func errorCodeRows(_ codes: [ErrorCode] = ErrorCode.all) -> [String] {
        codes.map(\.rawValue).sorted().map { "| `\($0)` |" }
    }
}
