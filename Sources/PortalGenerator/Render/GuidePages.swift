import Foundation

/// The onboarding track (one page per readiness gate) and the how-tos: prose, the commands
/// in `bash title="Run"` blocks, the output to expect in `text title="Expected output"`
/// blocks (what `scripts/portal/run_guides.py` executes and matches), the gate check and
/// troubleshooting by error code.
enum GuidePages {
    static let wildcardNote = "In expected output, `…` stands for what differs on your machine: ids, times, digests, ports."

    static func page(_ guide: Guide, next: Guide?, errorCodes: Set<String>) -> String {
        var parts = [
            MDX.frontMatter(id: guide.id, title: guide.title, position: guide.position + 1, description: guide.summary),
            "# \(MDX.escaped(guide.title))",
            ":::note[\(MDX.escaped(guide.gate ?? "How-to"))]\n\n\(MDX.prose(guide.summary)) Source: `\(guide.file)`; its commands run in CI against a live `platformd`.\n\n:::",
        ]
        if !guide.prerequisites.isEmpty {
            parts.append("## Prerequisites\n\n" + guide.prerequisites.map { "- \(MDX.prose($0))" }.joined(separator: "\n"))
        }
        for (number, step) in guide.steps.enumerated() {
            parts.append(render(step, heading: "## \(number + 1). \(MDX.escaped(step.title))"))
        }
        if let check = guide.check {
            parts.append(render(check, heading: guide.gate == nil ? "## Check" : "## Gate check"))
        }
        if !guide.troubleshooting.isEmpty {
            let rows = guide.troubleshooting.map { fix in
                [errorCodes.contains(fix.code) ? "[\(MDX.code(fix.code))](../reference/error-codes)" : MDX.code(fix.code),
                 MDX.prose(fix.fix)]
            }
            parts.append("## Troubleshooting\n\nEvery error carries a stable code: `appctl` prints it in brackets at the end of its `Error:` line, the API in `error.code`.\n\n"
                         + MDX.table(["Code", "What to do"], rows))
        }
        if let next {
            parts.append("**Next:** [\(MDX.escaped(next.title))](\(next.id))")
        }
        return parts.joined(separator: "\n\n")
    }

    static func render(_ step: Guide.Step, heading: String) -> String {
        var lines = [heading]
        if !step.text.isEmpty { lines.append(MDX.prose(step.text)) }
        lines.append(MDX.titledBlock("bash", title: "Run", step.run))
        if let output = step.output { lines.append(MDX.titledBlock("text", title: "Expected output", output)) }
        return lines.joined(separator: "\n\n")
    }

    /// The track's landing page: the gates in order, what each one proves.
    static func overview(_ onboarding: [Guide], howTos: [Guide]) -> String {
        let gates = MDX.table(["Gate", "Page", "What you do"], onboarding.map {
            [MDX.escaped($0.gate ?? ""), "[\(MDX.escaped($0.title))](\($0.id))", MDX.prose($0.summary)]
        })
        let howToList = howTos.map { "- [\(MDX.escaped($0.title))](../how-to/\($0.id)) — \(MDX.prose($0.summary))" }.joined(separator: "\n")
        return """
            \(MDX.frontMatter(id: "overview", title: "Onboarding", position: 1,
                              description: "From zero to a launched, connected, promoted app, one readiness gate per page.")
                .replacingOccurrences(of: "\nsidebar_position:", with: "\nsidebar_label: \"Overview\"\nsidebar_position:"))

            # Onboarding

            \(PortalRenderer.banner)

            Follow the pages in order in one terminal: each step's commands use what the earlier steps set (`PROJECT`, `INSTANCE`, …). Every page ends with a gate check; when it prints `gate passed`, go on. \(wildcardNote) The track creates the tenant `acme`, the project `vision` and the service accounts `alice` and `ci-deploy`: on a platform where it already ran, change those names.

            \(gates)

            ## How-tos

            \(howToList)
            """
    }
}
