import Foundation

/// One page per supported app (`docs/apps/NAME.mdx`), from its manifest and its matrix row:
/// what it is, a "launch it" snippet, parameters, endpoints and connect actions, resources,
/// volumes and secrets, lifecycle, and how far each adapter carries it.
enum AppPages {
    static func page(_ app: AppPage, row: SupportMatrix.Row?, adapters: [String], position: Int) -> String {
        var parts = [
            MDX.frontMatter(id: app.name, title: app.name, position: position,
                            description: app.description.isEmpty ? "The \(app.name) app." : app.description),
            "# \(MDX.escaped(app.name))",
            "\(PortalRenderer.banner) Source: `\(app.file)`.",
        ]
        if !app.description.isEmpty { parts.append(MDX.text(app.description)) }
        parts.append(MDX.table(["About", ""], app.about.map { [$0.label, MDX.code($0.value)] }))
        parts.append("## Launch it\n\nSet the secrets it reads (values from files, never on the command line), launch it with its required parameters, connect, and stop it. It launches into production; add `--environment staging` for a version promoted only to staging. Every `appctl` command and option here is checked against the CLI when the portal is generated.\n\n"
                     + MDX.titledBlock("bash", title: "Launch it", app.snippet))
        parts.append("## Parameters\n\n" + (app.params.isEmpty ? "None." : MDX.table(
            ["Name", "Type", "Required", "Default", "Allowed values", "Description"],
            app.params.map { param in
                [MDX.code(param.name), param.type, param.required ? "yes" : "no", param.defaultValue.map(MDX.code) ?? "",
                 param.allowed.map(MDX.code).joined(separator: ", "), MDX.text(param.description)]
            }) + "\n\nGive a value with `--param NAME=VALUE` on `appctl launch`."))
        parts.append("## Endpoints and connect actions\n\n" + (app.endpoints.isEmpty ? "No endpoints." : MDX.table(
            ["Endpoint", "Port", "Protocol"], app.endpoints.map { [MDX.code($0.name), $0.port, $0.proto] })
            + "\n\nThe app listens on the host port the platform allocates (`PORT_NAME`, `${ports.NAME}`), not on the declared one.")
            + "\n\n" + (app.actions.isEmpty ? "No connect actions." : MDX.table(
            ["Action", "Type", "Endpoint", "Session TTL", "Command", "Settings"],
            app.actions.map {
                [MDX.code($0.name), $0.type, MDX.code($0.endpoint), $0.ttlSeconds.map { "\($0) s" } ?? "default", MDX.code($0.command), MDX.code($0.more)]
            })))
        parts.append("## Resources\n\n" + MDX.table(["Resource", "Ask"], app.resources.map { [$0.label, MDX.text($0.value)] }))
        parts.append("## Volumes and secrets\n\n" + (app.volumes.isEmpty ? "No volumes." : MDX.table(
            ["Volume", "Mounted at", "Kind", "Size", "Read-only"],
            app.volumes.map { [MDX.code($0.name), MDX.code($0.mountPath), $0.kind, $0.sizeMiB.map { "\($0) MiB" } ?? "", $0.readOnly ? "yes" : "no"] }))
            + "\n\n" + (app.secrets.isEmpty ? "No secrets." : MDX.table(
            ["In the instance", "Project secret", "Delivered as"],
            app.secrets.map { secret in
                [MDX.code(secret.name), MDX.code(secret.secret) + (secret.project.map { " of project `\($0)`" } ?? " of the launching project"),
                 MDX.code("/run/secrets/\(secret.name)") + (secret.env ? " and the variable " + MDX.code(secret.name) : "")]
            })))
        if !app.lifecycle.isEmpty {
            parts.append("## Lifecycle\n\n" + MDX.table(["Setting", "Value"], app.lifecycle.map { [MDX.code($0.label), MDX.code($0.value)] }))
        }
        parts.append("## Matrix row\n\n" + matrix(row, adapters: adapters))
        return parts.joined(separator: "\n\n")
    }

    /// The app's row of the [matrix](../matrix): per adapter, launch and connect with the reason.
    static func matrix(_ row: SupportMatrix.Row?, adapters: [String]) -> String {
        guard let row else { return "Not in the [matrix](../matrix)." }
        let cells = adapters.indices.map { index in
            [MDX.text(adapters[index]), MatrixPage.cell(row.launch[index]), MDX.text(row.launch[index].reason),
             MatrixPage.cell(row.connect[index]), MDX.text(row.connect[index].reason)]
        }
        let proofs = Array(Set((row.launch + row.connect).flatMap(\.proofs))).sorted()
        return "From the [manifest, launch and connect matrix](../matrix); features used: "
            + (row.features.isEmpty ? "none" : row.features.map(MDX.code).joined(separator: ", ")) + ".\n\n"
            + MDX.table(["Adapter", "Launch", "Why", "Connect", "Why"], cells)
            + "\n\nGaps close with: \(MatrixPage.closes(row))."
            + (proofs.isEmpty ? "" : " The tests behind its validated cells: \(proofs.map(MDX.code).joined(separator: ", ")).")
    }
}

extension AppPages {
    /// The app pages and their category, with the doc ids the sidebar lists.
    static func files(_ model: PortalModel, page: (String, String) -> PortalFile) -> (files: [PortalFile], ids: [String]) {
        var files: [PortalFile] = []
        var ids: [String] = []
        for (index, app) in model.appPages.enumerated() {
            let row = model.matrix.rows.first { $0.app == app.name }
            files.append(page("apps/\(app.name)", Self.page(app, row: row, adapters: model.matrix.adapters, position: index + 1)))
            ids.append("apps/\(app.name)")
        }
        files.append(PortalRenderer.category("docs/apps/_category_.json", label: "Apps", position: 5,
                                             description: "One page per supported app, from its manifest: what it is, how to launch and connect, what it asks for."))
        return (files, ids)
    }
}
