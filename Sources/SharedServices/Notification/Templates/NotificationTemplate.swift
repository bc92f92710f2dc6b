/// A channel a notification can go out on.
public enum NotificationChannel: String, Sendable, Codable, CaseIterable {
    case webhook, email
    case inApp = "in-app"
}

/// How urgent a notification is.
public enum NotificationSeverity: String, Sendable, Codable, CaseIterable {
    case info, warning, critical
}

/// One entry of the notification-template registry, as the registry serves it.
public struct NotificationTemplate: Sendable, Codable, Equatable {
    /// The categories a recipient cannot mute: security and billing notices keep durable
    /// intent whatever the preferences say.
    public static let unmutableCategories: Set<String> = ["security", "billing"]

    public var templateId: String
    /// The template's own version, bumped when its text changes.
    public var version: Int
    public var productId: String
    public var channels: [NotificationChannel]
    public var severity: NotificationSeverity
    public var category: String
    /// Mustache text of the subject line.
    public var subject: String
    /// Mustache text of the body.
    public var body: String
    /// Every variable the subject and body may name; an event must supply each.
    public var variables: [String]

    /// Creates a template (tests and tools; the server decodes the registry).
    public init(templateId: String, version: Int, productId: String, channels: [NotificationChannel], severity: NotificationSeverity,
                category: String, subject: String, body: String, variables: [String]) {
        self.templateId = templateId
        self.version = version
        self.productId = productId
        self.channels = channels
        self.severity = severity
        self.category = category
        self.subject = subject
        self.body = body
        self.variables = variables
    }

    /// Whether a recipient's preferences may mute this template.
    public var isMutable: Bool { !Self.unmutableCategories.contains(category) }

    enum CodingKeys: String, CodingKey {
        case templateId = "template_id", version, productId = "product_id", channels, severity, category, subject, body, variables
    }
}
