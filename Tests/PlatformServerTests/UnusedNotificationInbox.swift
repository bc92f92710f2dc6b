import PlatformContracts

/// A `NotificationInbox` for router tests that never reach a notification endpoint: every
/// call fails, so a test that does reach one sees why.
struct UnusedNotificationInbox: NotificationInbox {
    static func unused() -> PlatformError { PlatformError(.internalError, "this test does not serve notifications") }
    func feed(principal: PrincipalID, project: String?, after cursor: String?, limit: Int) async throws -> [NotificationFeedItem] { throw Self.unused() }
    func addWebhook(project: Project, url: String, templates: [String], by actor: PrincipalID, requestID: String?) async throws
        -> CreatedWebhookEndpoint { throw Self.unused() }
    func webhooks(project: Project) async throws -> [WebhookEndpoint] { throw Self.unused() }
    func removeWebhook(_ id: String, project: Project, by actor: PrincipalID, requestID: String?) async throws { throw Self.unused() }
    func preferences(principal: PrincipalID, project: Project) async throws -> NotificationPreferenceSettings { throw Self.unused() }
    func setPreferences(_ settings: NotificationPreferenceSettings, principal: PrincipalID, project: Project, requestID: String?)
        async throws -> NotificationPreferenceSettings { throw Self.unused() }
    func deadLetters(limit: Int) async throws -> [DeadLetterIntent] { throw Self.unused() }
    func retryDeadLetter(_ eventId: String, by actor: PrincipalID, requestID: String?) async throws { throw Self.unused() }
}
