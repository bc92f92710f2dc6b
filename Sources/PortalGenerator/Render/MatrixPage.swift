import Foundation
import PlatformContracts

/// The manifest/launch/connect matrix page: per app, then per feature and adapter (the grain
/// the app cells are computed from), with what closes each gap and the tests behind each
/// `validated` cell.
enum MatrixPage {
    static func render(_ model: PortalModel) -> String {
        let matrix = model.matrix
        let headers = ["App", "Manifest features used"] + matrix.adapters.map { "Launch: \($0)" } + matrix.adapters.map { "Connect: \($0)" }
            + ["Gaps close with"]
        let rows = matrix.rows.map { row in
            [MDX.code(row.app), row.features.map(MDX.code).joined(separator: ", ")] + (row.launch + row.connect).map(cell) + [closes(row)]
        }
        let details = matrix.rows.map { row in
            "### \(MDX.text(row.app))\n\n" + matrix.adapters.enumerated().map { index, adapter in
                "- **\(MDX.text(adapter))**: launch \(cell(row.launch[index])) — \(MDX.text(row.launch[index].reason)); "
                    + "connect \(cell(row.connect[index])) — \(MDX.text(row.connect[index].reason))"
            }.joined(separator: "\n")
        }.joined(separator: "\n\n")
        let featureHeaders = ["Feature"] + matrix.platformAdapters + ["Gap closes with"]
        let featureRows = matrix.features.map { row in
            [MDX.code(row.feature)] + row.cells.map(cell) + [row.cells.flatMap(\.closedBy).reduce(into: [GapClosure]()) { if !$0.contains($1) { $0.append($1) } }
                .sorted().map(\.rawValue).joined(separator: ", ")]
        }
        let featureDetails = matrix.features.map { row in
            "- \(MDX.code(row.feature)): " + zip(matrix.platformAdapters, row.cells).map { adapter, cell in
                "**\(MDX.text(adapter))** \(self.cell(cell)) — \(MDX.text(cell.reason))"
                    + (cell.proofs.isEmpty ? "" : " (launched by \(cell.proofs.map(MDX.code).joined(separator: ", ")))")
            }.joined(separator: "; ")
        }.joined(separator: "\n")
        return """
            \(MDX.frontMatter(id: "matrix", title: "Manifest, launch and connect matrix", position: 4,
                              description: "Per supported app and adapter: what the manifest expresses and the platform applies."))

            # Manifest, launch and connect matrix

            \(PortalRenderer.banner) Computed from `manifests/apps/`, the runtime adapters' declared capabilities, the feature support table in `Sources/PlatformContracts/Runtime/ManifestFeatureSupport.swift` and the launch proofs in `Sources/PlatformContracts/Runtime/LaunchFeatureProof.swift` (each names a test; the tests check that every proof's test exists, is an integration test of that adapter and exercises the feature); nothing here is typed by hand.

            :::note[Reading the cells]
            **validated**: expressible in the manifest, validated, applied at launch or connect, and launched on that adapter by a named test. **backend**: accepted, but served by platform-side or compatibility logic rather than as written. **gap**: not applied yet, applied but not yet launched there by any test, or an adapter the platform lacks. **-**: the manifest does not ask for that adapter. An app's cell is the worst of the cells of the features it uses on that adapter (below). **Gaps close with**: a smoke test (a launch test on the adapter, recorded as a proof) or an SDK example (a feature a developer sets up through the API before launching).
            :::

            \(MDX.table(headers, rows))

            ## Each feature on each adapter

            \(MDX.table(featureHeaders, featureRows))

            \(featureDetails)

            ## Why each cell says what it says

            \(details)
            """
    }

    static func cell(_ cell: SupportMatrix.Cell) -> String {
        cell.level == "-" ? "-" : "**\(cell.level)**"
    }

    /// `SDK example: secrets (local, slurm); smoke test: params (slurm)`, or `-` without gaps.
    static func closes(_ row: SupportMatrix.Row) -> String {
        row.closes.isEmpty ? "-" : row.closes.map { "\($0.closure.rawValue): \($0.waiting.map(MDX.text).joined(separator: ", "))" }
            .joined(separator: "; ")
    }
}
