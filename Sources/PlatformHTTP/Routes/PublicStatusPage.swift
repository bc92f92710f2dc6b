import Foundation
import PlatformContracts

/// The small HTML page of `GET /status` (Accept prefers `text/html`, or `?format=html`):
/// the customer-safe view, rendered without scripts or external assets so it works from a
/// browser during an outage of everything else.
enum PublicStatusPage {
    /// Whether the request wants HTML: `?format=html`, or an Accept header whose first
    /// preference is `text/html` (a browser) rather than JSON.
    static func wantsHTML(format: String?, accept: String?) -> Bool {
        if let format { return format.lowercased() == "html" }
        guard let accept else { return false }
        var best: (type: String, q: Double)?
        for part in accept.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let type = pieces.first, type == "text/html" || type == "application/json" || type == "*/*" else { continue }
            let q = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            let weight = type == "*/*" ? q - 0.001 : q
            if weight > best?.q ?? -1 { best = (type, weight) }
        }
        return best?.type == "text/html"
    }

    static func html(_ status: PublicStatus) -> String {
        var body = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Platform status: \(label(status.overall))</title>
        <style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#222}
        table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ddd}
        .operational{color:#17803d}.maintenance{color:#1d5fb8}.degraded{color:#8a5300}.outage{color:#b3261e}
        small{color:#595959}</style></head><body><main>
        <h1>Platform status: <span class="\(status.overall.rawValue)">\(label(status.overall))</span></h1>
        <table><thead><tr><th>Component</th><th>Condition</th><th>Since</th></tr></thead><tbody>

        """
        for component in status.components {
            body += "<tr><td>\(escape(component.name))</td><td class=\"\(component.condition.rawValue)\">\(label(component.condition))</td>"
                + "<td><small>\(escape(component.since))</small></td></tr>\n"
        }
        body += "</tbody></table>\n<h2>Incidents</h2>\n"
        if status.incidents.isEmpty { body += "<p>No incidents in the last 7 days.</p>\n" }
        for incident in status.incidents {
            body += "<section><h3>\(escape(incident.title)) <small>\(incident.impact.rawValue), \(incident.state.rawValue)</small></h3>\n"
            body += "<p><small>Affects \(escape(incident.components.joined(separator: ", ")))</small></p><ul>\n"
            for update in incident.timeline.reversed() {
                body += "<li><small>\(escape(update.at))</small> <b>\(update.state.rawValue)</b>: \(escape(update.message))</li>\n"
            }
            body += "</ul></section>\n"
        }
        body += "<h2>Maintenance</h2>\n"
        if status.maintenance.isEmpty { body += "<p>No maintenance scheduled.</p>\n" }
        for window in status.maintenance {
            body += "<p>\(escape(window.title)): \(escape(window.startsAt)) to \(escape(window.endsAt))"
                + " <small>(\(escape(window.components.joined(separator: ", "))))</small></p>\n"
        }
        body += "<p><small>Generated \(escape(status.generatedAt)). JSON: <a href=\"/status?format=json\">/status?format=json</a></small></p>\n"
        body += "</main></body></html>\n"
        return body
    }

    static func label(_ condition: ComponentCondition) -> String {
        switch condition {
        case .operational: "Operational"
        case .maintenance: "Under maintenance"
        case .degraded: "Degraded"
        case .outage: "Outage"
        }
    }

    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
