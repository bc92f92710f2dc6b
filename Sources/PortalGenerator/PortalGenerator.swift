import Foundation
import PlatformContracts

/// One generated file, relative to the portal root.
public struct PortalFile: Sendable, Hashable {
    /// `docs/reference/cli.mdx`, `sidebars.js`, …
    public var path: String
    /// Its contents.
    public var contents: String

    /// Creates a file.
    public init(path: String, contents: String) {
        self.path = path
        self.contents = contents
    }
}

/// Something a stage could not use, with the stage and the input it concerns.
public struct PortalDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// `load`, `model`, `render` or `write`.
    public var stage: String
    /// The input file or page.
    public var subject: String
    /// What is wrong.
    public var message: String

    /// `stage: subject: message`.
    public var description: String { "\(stage): \(subject): \(message)" }
}

/// The portal: files and what the stages noticed.
public struct PortalOutput: Sendable {
    /// Every file, sorted by path.
    public var files: [PortalFile]
    /// Problems with the inputs (the pages are rendered without what could not be read).
    public var diagnostics: [PortalDiagnostic]
}

/// Renders the Docusaurus-ready portal from the contracts, in named stages: the inputs
/// (already loaded) → a model (schema fields, registry tables, API operations, CLI
/// commands) → pages → written files. Deterministic: the same inputs give byte-identical
/// files.
public enum PortalGenerator {
    /// Builds the model and renders every page.
    public static func generate(_ inputs: PortalInputs) -> PortalOutput {
        var diagnostics: [PortalDiagnostic] = []
        let model = PortalModel.build(inputs, diagnostics: &diagnostics)
        let files = PortalRenderer.render(model).sorted { $0.path < $1.path }
        return PortalOutput(files: files, diagnostics: diagnostics)
    }

    /// Writes the files under `root`, replacing the generated parts (`docs/`,
    /// `sidebars.js`, `docusaurus.config.js`) so a page that is no longer generated goes.
    /// - Throws: ``ErrorCode/configInvalid`` when a file cannot be written.
    public static func write(_ output: PortalOutput, to root: URL) throws(PlatformError) {
        let manager = FileManager.default
        for generated in ["docs", "sidebars.js", "docusaurus.config.js"] {
            try? manager.removeItem(at: root.appendingPathComponent(generated))
        }
        for file in output.files {
            let url = root.appendingPathComponent(file.path)
            do {
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: url)
            } catch {
                throw PlatformError(.configInvalid, "cannot write \(url.path): \(error)")
            }
        }
    }
}
