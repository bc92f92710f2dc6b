import Foundation

extension AppPage {
    /// The "launch it" lines: set each secret the manifest reads, launch with every required
    /// parameter, open each connect action, then follow or stop it. Built from the manifest
    /// only, and checked like a guide (every `appctl` command and option must exist) when the
    /// portal is generated; the tests also run each `appctl` line through appctl's parser.
    static func snippet(for page: AppPage) -> String {
        // A manifest that names its secrets' project launches only there (a secret of another
        // project is refused), so the snippet uses that project.
        let project = page.secrets.compactMap(\.project).first
        var lines = [project.map { "PROJECT=\($0)   # its secrets belong to this project" } ?? "PROJECT=my-project"]
        for secret in page.secrets.reduce(into: [String](), { if !$0.contains($1.secret) { $0.append($1.secret) } }) {
            lines.append("appctl secret set \(secret) --purpose app-runtime --from-file ./\(secret).txt --project \"$PROJECT\"")
        }
        var launch = "appctl launch \(page.name) --project \"$PROJECT\""
        for param in page.params where param.required && param.defaultValue == nil {
            let variable = param.name.uppercased()
            let example = param.allowed.first ?? (param.type == "integer" ? "1" : param.type == "boolean" ? "true" : "change-me")
            lines.append("\(variable)=\(example)   # required \(param.type)" + (param.description.isEmpty ? "" : ": \(param.description)"))
            launch += " --param \"\(param.name)=$\(variable)\""
        }
        let isJob = page.about.contains { $0.label == "Mode" && $0.value == "job" }
        // A job runs to its end, so it is not waited for before connecting; the rest wait until ready.
        lines.append("INSTANCE=$(\(launch)\(isJob ? "" : " --wait") -o json | jq -r .id)")
        lines += page.actions.map(\.command)
        lines.append(isJob ? "appctl instance logs \"$INSTANCE\" --project \"$PROJECT\" -f"
                           : "appctl instance stop \"$INSTANCE\" --project \"$PROJECT\"")
        return lines.joined(separator: "\n")
    }

    /// The snippet as a guide, so the portal's guide check (commands, subcommands and options
    /// against the real CLI) holds it to the same rules as the onboarding pages.
    var asGuide: Guide {
        Guide(track: "apps", id: name, position: 0, title: name, gate: nil, summary: description, prerequisites: [],
              steps: [Guide.Step(title: "Launch it", text: "", run: snippet, output: nil)], check: nil, troubleshooting: [], file: file)
    }
}

extension AppPage {
    /// Every app's page, by name; each snippet checked against the CLI like a guide (a
    /// command or option it names that appctl lacks is a diagnostic, so `--check` fails).
    static func pages(_ manifests: [(name: String, manifest: [String: Any])], files: [PortalModel.App], commands: [CLICommand],
                      errorCodes: [String], diagnostics: inout [PortalDiagnostic]) -> [AppPage] {
        let fileOf = Dictionary(files.map { ($0.name, $0.file) }, uniquingKeysWith: { first, _ in first })
        return manifests.sorted { $0.name < $1.name }.compactMap { name, manifest in
            guard let page = AppPage(manifest: manifest, file: fileOf[name] ?? "") else { return nil }
            for problem in page.asGuide.problems(commands: commands, errorCodes: Set(errorCodes)) {
                diagnostics.append(.init(stage: "model", subject: page.file, message: "launch snippet: \(problem)"))
            }
            return page
        }
    }
}
