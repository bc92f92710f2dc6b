import PlatformContracts

/// One principal's notification preferences in one project: the template ids muted.
/// Muting is advisory for security and billing notices: ``allows(_:)`` never drops them,
/// because the seed requires those to keep durable intent.
public struct NotificationPreferences: Sendable, Equatable, Codable {
    public var principal: PrincipalID
    public var project: String
    public var muted: Set<String>

    public init(principal: PrincipalID, project: String, muted: Set<String> = []) {
        self.principal = principal
        self.project = project
        self.muted = muted
    }

    /// Mutes a template id.
    public mutating func mute(_ templateId: String) { muted.insert(templateId) }

    /// Whether a notice from `template` reaches this principal.
    public func allows(_ template: NotificationTemplate) -> Bool {
        !template.isMutable || !muted.contains(template.templateId)
    }
}
