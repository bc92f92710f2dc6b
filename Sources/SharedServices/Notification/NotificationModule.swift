import PlatformContracts

/// The `notification` module: the transactional outbox and at-least-once dispatch.
///
/// Its implementation of `NotificationOutbox` lands with its issue; the composition root already
/// registers the module so start-up logs and `/version` list it.
public enum NotificationModule {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "notification",
        kind: .sharedService,
        contract: "NotificationOutbox",
        summary: "the transactional outbox and at-least-once dispatch."
    )
}
