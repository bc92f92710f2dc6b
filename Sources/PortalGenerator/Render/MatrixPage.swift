import Foundation

/// The manifest/launch/connect matrix page.
enum MatrixPage {
    static func render(_ model: PortalModel) -> String {
        let matrix = model.matrix
        let headers = ["App", "Manifest features used"] + matrix.adapters.map { "Launch: \($0)" } + matrix.adapters.map { "Connect: \($0)" }
        let rows = matrix.rows.map { row in
            [MDX.code(row.app), row.features.map(MDX.code).joined(separator: ", ")] + (row.launch + row.connect).map(cell)
        }
        let details = matrix.rows.map { row in
            "### \(MDX.text(row.app))\n\n" + matrix.adapters.enumerated().map { index, adapter in
                "- **\(MDX.text(adapter))**: launch \(cell(row.launch[index])) — \(MDX.text(row.launch[index].reason)); "
                    + "connect \(cell(row.connect[index])) — \(MDX.text(row.connect[index].reason))"
            }.joined(separator: "\n")
        }.joined(separator: "\n\n")
        return """
            \(MDX.frontMatter(id: "matrix", title: "Manifest, launch and connect matrix", position: 4,
                              description: "Per supported app and adapter: what the manifest expresses and the platform applies."))

            # Manifest, launch and connect matrix

            \(PortalRenderer.banner) Computed from `manifests/apps/`, the runtime adapters' declared capabilities and the feature support table in `Sources/PlatformContracts/Runtime/ManifestFeatureSupport.swift`; nothing here is typed by hand.

            :::note[Reading the cells]
            **validated**: expressible in the manifest, validated, and applied at launch or connect. **backend**: accepted, but served by platform-side or compatibility logic rather than as written. **gap**: validated but not applied yet, or an adapter the platform lacks. **-**: the manifest does not ask for that adapter.
            :::

            \(MDX.table(headers, rows))

            ## Why each cell says what it says

            \(details)
            """
    }

    static func cell(_ cell: SupportMatrix.Cell) -> String {
        cell.level == "-" ? "-" : "**\(cell.level)**"
    }
}
