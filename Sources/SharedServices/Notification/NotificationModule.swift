import PlatformContracts

/// The `notification` module: the outbox consumers that deliver notification events (in-app
/// feed, Standard Webhooks, SMTP email) and the ``NotificationInbox`` the HTTP edge serves.
public enum NotificationModule {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "notification",
        kind: .sharedService,
        contract: "NotificationOutbox, NotificationInbox",
        summary: "notification events from the transactional outbox, rendered from the template registry and delivered at least once to the in-app feed, signed webhooks and SMTP email, honouring preferences."
    )
}
