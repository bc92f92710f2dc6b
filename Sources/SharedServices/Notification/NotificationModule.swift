import PlatformContracts

/// The `notification` module, a shell: the `NotificationOutbox` contract exists, its
/// implementation (a transactional outbox with at-least-once dispatch) does not yet; the
/// composition root registers the module so start-up logs and `/version` say so.
public enum NotificationModule {
    /// What this module declares to the composition root.
    public static let descriptor = ModuleDescriptor(
        name: "notification",
        kind: .sharedService,
        contract: "NotificationOutbox",
        summary: "shell: the NotificationOutbox contract only; nothing is sent yet (planned: a transactional outbox, at-least-once dispatch)."
    )
}
