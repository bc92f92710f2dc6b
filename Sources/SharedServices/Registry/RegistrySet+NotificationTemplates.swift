import Foundation
import PlatformContracts

extension RegistrySet {
    /// The channels a notification template may name.
    static let notificationChannels: Set<String> = ["webhook", "email", "in-app"]
    /// The severities a notification template may name.
    static let notificationSeverities: Set<String> = ["info", "warning", "critical"]

    /// Checks the seed's fields on every notification template, so a template the outbox
    /// could not send (an unknown channel, a variable no event supplies) stops the server at
    /// start rather than failing at delivery: a template `version` ≥ 1, a non-empty
    /// `channels` subset of ``notificationChannels``, a known `severity`, a `category`, a
    /// `subject` and `body`, and every `{{variable}}` they name listed in `variables`.
    /// - Throws: ``ErrorCode/configInvalid`` naming the file and entry.
    static func checkNotificationTemplates(_ items: [[String: Any]], path: String) throws(PlatformError) {
        for (index, item) in items.enumerated() {
            let entry = "registry \(path): entry \(index + 1) (\(item["template_id"] ?? "?"))"
            guard let version = item["version"] as? Int, version >= 1 else {
                throw PlatformError(.configInvalid, "\(entry): `version` must be an integer ≥ 1")
            }
            guard let channels = item["channels"] as? [String], !channels.isEmpty else {
                throw PlatformError(.configInvalid, "\(entry): `channels` must be a non-empty list")
            }
            if let unknown = channels.first(where: { !notificationChannels.contains($0) }) {
                throw PlatformError(.configInvalid, "\(entry) names unknown channel \(unknown); known: \(notificationChannels.sorted().joined(separator: ", "))")
            }
            guard let severity = item["severity"] as? String else {
                throw PlatformError(.configInvalid, "\(entry): `severity` is missing")
            }
            guard notificationSeverities.contains(severity) else {
                throw PlatformError(.configInvalid, "\(entry) names unknown severity \(severity); known: \(notificationSeverities.sorted().joined(separator: ", "))")
            }
            guard let category = item["category"] as? String, !category.isEmpty else {
                throw PlatformError(.configInvalid, "\(entry): `category` is missing")
            }
            let variables = Set(item["variables"] as? [String] ?? [])
            for field in ["subject", "body"] {
                guard let text = item[field] as? String, !text.isEmpty else {
                    throw PlatformError(.configInvalid, "\(entry): `\(field)` is missing")
                }
                if let unknown = TemplateVariables.names(in: text).first(where: { !variables.contains($0) }) {
                    throw PlatformError(.configInvalid, "\(entry): \(field) names variable \(unknown), which is not in `variables`")
                }
            }
        }
    }
}
