import Foundation
import PlatformContracts

/// The generated reference: manifest fields, API operations, CLI commands, error codes and
/// one page per registry.
enum ReferencePages {
    static func index(_ model: PortalModel) -> String {
        let apps = MDX.table(["App", "Version", "Mode", "Description"], model.apps.map {
            [MDX.code($0.name), MDX.code($0.version), $0.mode, MDX.text($0.description)]
        })
        return """
            \(MDX.frontMatter(id: "index", title: "Developer portal", position: 1,
                              description: "Publish, launch and connect to apps on the GPU platform."))

            # Developer portal

            \(PortalRenderer.banner)

            Everything here is rendered from the files the server and `appctl` use, so it cannot drift from them.

            - [Onboarding](onboarding/overview) — from zero to a launched, connected, promoted app, one readiness gate per page.
            - How-tos: \(model.howTos.map { "[\(MDX.escaped($0.title))](how-to/\($0.id))" }.joined(separator: ", ")).
            - [Manifest, launch and connect matrix](matrix) — what each supported app uses and how far each adapter carries it.
            - [App manifest reference](reference/manifest) — every field of `\(model.schemaFile)`.
            - [API reference](reference/api) — every operation of `\(model.openAPIFile)` with the scope it needs.
            - [CLI reference](reference/cli) — every `appctl` command with its help.
            - [Error codes](reference/error-codes) — the stable codes every error carries.
            - Registries: \(model.registries.map { "[\(MDX.text($0.kind))](reference/registries/\($0.kind))" }.joined(separator: ", ")).

            ## Supported apps

            \(apps)

            ## Examples

            \(model.examples.map { "- **\(MDX.escaped($0.title))** (`\($0.folder)/`): \(MDX.prose($0.summary))" }.joined(separator: "\n"))
            """
    }

    static func manifest(_ model: PortalModel) -> (Int) -> String {
        { position in
            let rows = model.fields.map { field in
                [MDX.code(field.path), MDX.text(field.type), field.required ? "yes" : "no",
                 field.allowed.isEmpty ? "" : MDX.code(field.allowed), MDX.text(field.description)]
            }
            return """
                \(MDX.frontMatter(id: "manifest", title: "App manifest reference", position: position,
                                  description: "Every field of the app manifest, from its JSON Schema."))

                # App manifest reference

                \(PortalRenderer.banner) Source: `\(model.schemaFile)` (\(MDX.text(model.schemaTitle))).

                `appctl manifest validate FILE` checks a manifest offline against this schema and the semantic rules; unknown keys are refused with a did-you-mean. Nested fields are written with dots; `[]` marks the items of a list and `NAME` the values of a map.

                \(MDX.table(["Field", "Type", "Required", "Allowed values", "Description"], rows))
                """
        }
    }

    static func api(_ model: PortalModel) -> (Int) -> String {
        { position in
            let rows = model.operations.map { [MDX.code($0.method), MDX.code($0.path), MDX.code($0.scope), MDX.text($0.summary)] }
            return """
                \(MDX.frontMatter(id: "api", title: "API reference", position: position,
                                  description: "Every HTTP operation of platformd and the scope it requires."))

                # API reference

                \(PortalRenderer.banner) Source: `\(model.openAPIFile)`, itself generated from the server's route table. Authenticate with `Authorization: Bearer <key>`; errors are JSON with a stable code (see [error codes](error-codes)).

                \(MDX.table(["Method", "Path", "Scope", "Summary"], rows))
                """
        }
    }

    static func cli(_ model: PortalModel) -> (Int) -> String {
        { position in
            let sections = model.commands.map { command in
                "## \(MDX.text((["appctl"] + command.path).joined(separator: " ")))\n\n" + MDX.block("text", command.help)
            }.joined(separator: "\n\n")
            return """
                \(MDX.frontMatter(id: "cli", title: "CLI reference", position: position,
                                  description: "Every appctl command with its help, as appctl prints it."))

                # CLI reference

                \(PortalRenderer.banner) Each block is exactly what `appctl … --help` prints.

                \(sections)
                """
        }
    }

    static func errorCodes(_ model: PortalModel) -> (Int) -> String {
        { position in
            // Which guide pages say what to do about each code.
            var coveredBy: [String: [String]] = [:]
            for guide in model.onboarding + model.howTos {
                for fix in guide.troubleshooting {
                    coveredBy[fix.code, default: []].append("[\(MDX.escaped(guide.title))](../\(guide.track)/\(guide.id))")
                }
            }
            let rows = model.errorCodes.map { code -> [String] in
                // The status and registry code each code declares beside its definition.
                let known = ErrorCode(rawValue: code)
                return [MDX.code(code), MDX.text(String(code.prefix { $0 != "." })),
                        known.map { "\($0.httpStatus.rawValue)" } ?? "", known?.ociCode.map { MDX.code($0.rawValue) } ?? "",
                        model.exitStatuses[code].map { "\($0)" } ?? "", (coveredBy[code] ?? []).joined(separator: ", ")]
            }
            return """
                \(MDX.frontMatter(id: "error-codes", title: "Error codes", position: position,
                                  description: "The stable codes of every platform error."))

                # Error codes

                \(PortalRenderer.banner) Every error body is `{"error":{"code":…,"message":…,"requestId":…}}`; the code is stable, the message is for people.

                The HTTP column is the status the API answers with. The registry (`/v2/`) answers in the OCI Distribution format: each error's `code` is the registry code below (`UNKNOWN` where there is none), and its `detail.code` is the platform code.

                `appctl` prints the code in brackets at the end of its `Error:` line and exits with the status below. The last column names the guides whose troubleshooting says what to do about it.

                \(MDX.table(["Code", "Area", "HTTP", "Registry code", "appctl exit", "Troubleshooting in"], rows))
                """
        }
    }

    static func registry(_ table: PortalModel.RegistryTable, position: Int) -> String {
        let sections = table.sections.map { section in
            let rows = section.rows.map { row in
                row.enumerated().map { index, value in index == 0 ? MDX.code(value) : MDX.text(value) }
            }
            return "## \(MDX.text(section.name))\n\n" + MDX.table(section.columns.map { MDX.text($0) }, rows)
        }.joined(separator: "\n\n")
        return """
            \(MDX.frontMatter(id: table.kind, title: "Registry: \(table.kind)", position: position,
                              description: "Entries of the \(table.kind) registry, version \(table.version)."))

            # Registry: \(MDX.text(table.kind))

            \(PortalRenderer.banner) Source: `\(table.file)`, version \(table.version); the server loads the same file at start and serves it at `/v1/registries/\(table.kind)`.

            \(sections)
            """
    }
}
