import Foundation
import PlatformContracts

/// The generated reference: manifest fields, API operations, CLI commands, error codes and
/// one page per registry.
enum ReferencePages {
    static func index(_ model: PortalModel) -> String {
        let apps = MDX.table(["App", "Version", "Mode", "Description"], model.apps.map {
            ["[\(MDX.code($0.name))](apps/\($0.name))", MDX.code($0.version), $0.mode, MDX.text($0.description)]
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
            - [API reference](reference/api) — every operation of the typed contract (`\(model.api.source)`) with its scope, parameters and types.
            - SDKs: [Python](sdk/python) (generated from the OpenAPI document) and [Swift](sdk/swift) (`PlatformClient`), each with an install and a first call.
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
            let api = model.api
            let rows = api.operations.map {
                [MDX.code($0.id), MDX.code($0.method), MDX.code($0.path), scope($0), MDX.text($0.summary)]
            }
            let operations = api.operations.map(operation).joined(separator: "\n\n")
            let schemas = api.schemas.map { "### \(MDX.code($0.name))\n\n" + MDX.block("json", $0.json) }.joined(separator: "\n\n")
            return """
                \(MDX.frontMatter(id: "api", title: "API reference", position: position,
                                  description: "Every /v1 operation of platformd: its scope, parameters, request and response types."))

                # API reference

                \(PortalRenderer.banner) Source: the typed contract in `\(api.source)`: one `Endpoint` per operation, with its path, query, request and response types. The schemas below are derived from the same Codable types, and so are the server's `/openapi.json` and `manifests/api/openapi.json`; the [Python SDK](../sdk/python) is generated from that document and the [Swift SDK](../sdk/swift) is compiled from the endpoints themselves. Authenticate with `Authorization: Bearer <key>`; errors are JSON with a stable code (see [error codes](error-codes)).

                \(MDX.table(["Operation", "Method", "Path", "Scope", "Summary"], rows))

                ## Operations

                \(operations)

                ## Schemas

                Named schemas (`#/components/schemas/NAME` in the OpenAPI document), derived from the Codable types.

                \(schemas)
                """
        }
    }

    static func scope(_ operation: APIContract.Operation) -> String {
        operation.scope.map(MDX.code) ?? "any authenticated caller"
    }

    /// One operation: signature, scope, success, bodies, parameters.
    static func operation(_ operation: APIContract.Operation) -> String {
        var lines = ["### \(MDX.code(operation.id))", "", "\(MDX.code("\(operation.method) \(operation.path)")): \(MDX.text(operation.summary))", ""]
        lines.append("- Scope: \(scope(operation))")
        if let body = operation.requestBody { lines.append("- Request body: \(MDX.code(body))") }
        lines.append("- Success: \(operation.successStatus)\(operation.responseBody.map { ", \(MDX.code($0))" } ?? ", no content")")
        if operation.eventStream {
            lines.append("- With `Accept: text/event-stream` the answer is a Server-Sent Events stream of the same items (described in `/asyncapi.json`).")
        }
        let parameters = operation.pathParameters.map { ($0, "path") } + operation.queryParameters.map { ($0, "query") }
        if !parameters.isEmpty {
            lines.append("")
            lines.append(MDX.table(["Parameter", "In", "Type", "Required", "Description"], parameters.map { parameter, place in
                [MDX.code(parameter.name), place, MDX.text(parameter.type), parameter.required ? "yes" : "no", MDX.text(parameter.summary)]
            }))
        }
        return lines.joined(separator: "\n")
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
