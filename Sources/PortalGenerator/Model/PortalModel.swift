import Foundation
import Yams

/// What the pages say, taken from the inputs.
struct PortalModel {
    /// One field of the app manifest.
    struct SchemaField: Equatable {
        var path: String
        var type: String
        var required: Bool
        var allowed: String
        var description: String
    }

    /// One registry: each of its lists (`scopes`, `roles`, …) as a table whose columns are
    /// the entries' keys in file order.
    struct RegistryTable: Equatable {
        struct Section: Equatable {
            var name: String
            var columns: [String]
            var rows: [[String]]
        }

        var kind: String
        var version: Int
        var file: String
        var sections: [Section]
    }

    /// One supported app.
    struct App: Equatable {
        var name: String
        var version: String
        var mode: String
        var description: String
        var file: String
    }

    var schemaFile: String
    var schemaTitle: String
    var fields: [SchemaField]
    var registries: [RegistryTable]
    var api: APIContract
    var sdkExamples: [NamedText]
    var commands: [CLICommand]
    var errorCodes: [String]
    var apps: [App]
    /// One page per app, from its manifest (``AppPage``), by name.
    var appPages: [AppPage] = []
    var matrix: SupportMatrix
    var onboarding: [Guide]
    var howTos: [Guide]
    var exitStatuses: [String: Int32]
    var examples: [Example]

    /// An example from `examples/NAME/README.md`: its title and first paragraph.
    struct Example: Equatable {
        var folder: String
        var title: String
        var summary: String

        init?(_ readme: NamedText) {
            let lines = readme.text.components(separatedBy: "\n")
            guard let heading = lines.firstIndex(where: { $0.hasPrefix("# ") }) else { return nil }
            folder = (readme.file as NSString).deletingLastPathComponent
            title = String(lines[heading].dropFirst(2))
            summary = Self.unlinked(lines[(heading + 1)...].drop { $0.trimmingCharacters(in: .whitespaces).isEmpty }
                .prefix { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.joined(separator: " "))
        }

        /// A README's relative links (`[finetune-job](../finetune-job/README.md)`) point into the
        /// checkout, not the portal, where they would be broken links: their text stays, the link goes.
        static func unlinked(_ text: String) -> String {
            let pattern = try! NSRegularExpression(pattern: "\\[([^\\]]+)\\]\\((?!https?://)[^)]*\\)")
            return pattern.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "$1")
        }
    }

    static func build(_ inputs: PortalInputs, diagnostics: inout [PortalDiagnostic]) -> PortalModel {
        var fields: [SchemaField] = []
        var title = "App manifest"
        if let schema = (try? JSONSerialization.jsonObject(with: Data(inputs.schema.text.utf8))) as? [String: Any] {
            title = schema["title"] as? String ?? title
            fields = SchemaWalker(root: schema).fields()
        } else {
            diagnostics.append(.init(stage: "model", subject: inputs.schema.file, message: "not a JSON Schema document"))
        }
        var registries: [RegistryTable] = []
        for file in inputs.registries {
            if let table = RegistryTable(file) { registries.append(table) } else {
                diagnostics.append(.init(stage: "model", subject: file.file, message: "not a registry (registry, version and one list)"))
            }
        }
        var apps: [App] = []
        var manifests: [(name: String, manifest: [String: Any])] = []
        for file in inputs.apps {
            guard let manifest = (try? PortalYAML.load(file.text)) as? [String: Any],
                  let metadata = manifest["metadata"] as? [String: Any], let name = metadata["name"] as? String else {
                diagnostics.append(.init(stage: "model", subject: file.file, message: "not an app manifest"))
                continue
            }
            apps.append(App(name: name, version: "\(metadata["version"] ?? "")", mode: manifest["mode"] as? String ?? "",
                            description: metadata["description"] as? String ?? "", file: file.file))
            manifests.append((name, manifest))
        }
        if inputs.api.operations.isEmpty {
            diagnostics.append(.init(stage: "model", subject: inputs.api.source, message: "the API contract has no operations"))
        }
        let schemaNames = Set(inputs.api.schemas.map(\.name))
        for operation in inputs.api.operations {
            for name in [operation.requestBody, operation.responseBody].compactMap({ $0 }).map(APIContract.componentName)
            where name.map({ !schemaNames.contains($0) }) == true {
                diagnostics.append(.init(stage: "model", subject: inputs.api.source,
                                         message: "\(operation.id) names schema \(name ?? "") that the contract does not define"))
            }
        }
        let appPages = AppPage.pages(manifests, files: apps, commands: inputs.commands, errorCodes: inputs.errorCodes, diagnostics: &diagnostics)
        var model = PortalModel(
            schemaFile: inputs.schema.file, schemaTitle: title, fields: fields, registries: registries.sorted { $0.kind < $1.kind },
            api: inputs.api, sdkExamples: inputs.sdkExamples, commands: inputs.commands.sorted { $0.path.lexicographicallyPrecedes($1.path) },
            errorCodes: inputs.errorCodes, apps: apps.sorted { $0.name < $1.name },
            matrix: SupportMatrix.build(manifests: manifests, adapters: inputs.adapters, support: inputs.support, proofs: inputs.proofs),
            onboarding: Guide.track("onboarding", inputs.onboarding, commands: inputs.commands, errorCodes: inputs.errorCodes, diagnostics: &diagnostics),
            howTos: Guide.track("how-to", inputs.howTos, commands: inputs.commands, errorCodes: inputs.errorCodes, diagnostics: &diagnostics),
            exitStatuses: inputs.exitStatuses,
            examples: inputs.examples.compactMap { readme in
                guard let example = Example(readme) else {
                    diagnostics.append(.init(stage: "model", subject: readme.file, message: "no `# Title` line"))
                    return nil
                }
                return example
            })
        model.appPages = appPages
        return model
    }
}

extension PortalModel.RegistryTable {
    /// Reads `registry: KIND`, `version: N` and every top-level list of entries, in file order.
    init?(_ file: NamedText) {
        guard let document = (try? PortalYAML.load(file.text)) as? [String: Any], let kind = document["registry"] as? String,
              let version = document["version"] as? Int else { return nil }
        // Yams loses key order, so the text gives it: top-level list names, then entry keys per list.
        var sections: [Section] = []
        var current: (name: String, columns: [String])?
        func close() {
            guard let current, let entries = document[current.name] as? [[String: Any]] else { return }
            sections.append(Section(name: current.name, columns: current.columns,
                                    rows: entries.map { entry in current.columns.map { Self.text(entry[$0]) } }))
        }
        for line in file.text.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix("#") {
            if let first = line.first, first != " ", first != "-" {
                close()
                let key = String(line.prefix { $0 != ":" })
                current = document[key] is [[String: Any]] ? (key, []) : nil
                continue
            }
            guard current != nil, let entries = document[current!.name] as? [[String: Any]] else { continue }
            let trimmed = line.drop { $0 == " " || $0 == "-" }
            guard let colon = trimmed.firstIndex(of: ":") else { continue }
            let key = String(trimmed[..<colon])
            // Only keys of the entries themselves (indented by one list level).
            let indent = line.prefix { $0 == " " || $0 == "-" }.count
            if indent <= 4, entries.contains(where: { $0[key] != nil }), !current!.columns.contains(key) { current!.columns.append(key) }
        }
        close()
        guard !sections.isEmpty else { return nil }
        self.kind = kind
        self.version = version
        self.file = file.file
        self.sections = sections
    }

    static func text(_ value: Any?) -> String {
        switch value {
        case nil: ""
        case let list as [Any]: list.map { text($0) }.joined(separator: ", ")
        case let map as [String: Any]: map.keys.sorted().map { "\($0): \(text(map[$0]))" }.joined(separator: ", ")
        case let value?: "\(value)"
        }
    }
}
