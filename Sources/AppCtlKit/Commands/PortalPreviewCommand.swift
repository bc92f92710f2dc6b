import ArgumentParser
import Foundation
import PortalPreview

/// `appctl portal preview [DIR] --out OUT`.
public struct PortalPreviewCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "preview", abstract: "Render a portal's pages to static HTML with cmark-gfm, to read without Docusaurus.",
        discussion: "Reads DIR/docs/**/*.mdx and DIR/sidebars.js (what appctl portal generate writes) and writes one HTML page per doc under --out; open OUT/index.html in a browser. platformd serves the same rendering at /portal/.")
    @Argument(help: ArgumentHelp("The portal folder (default: portal of the checkout).", valueName: "dir")) var directory: String?
    @Option(name: .long, help: ArgumentHelp("Where to write the HTML.", valueName: "dir")) var out: String = "portal-preview"
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Renders and writes.
    public func run(in context: CommandContext) async throws {
        let source = try directory.map { URL(fileURLWithPath: $0) } ?? PortalGenerateCommand.findCheckout().appendingPathComponent("portal")
        let destination = URL(fileURLWithPath: out).standardizedFileURL
        let started = ContinuousClock.now
        let files = try PortalPreview.render(portal: source)
        try PortalPreview.write(files, to: destination)
        let elapsed = ContinuousClock.now - started
        let index = destination.appendingPathComponent("index.html")
        context.output(try Renderer(format: global.output).render(["files": "\(files.count)", "index": index.absoluteString]) {
            "wrote \(files.count) pages to \(destination.path) in \(elapsed); open \(index.absoluteString)"
        })
    }
}
