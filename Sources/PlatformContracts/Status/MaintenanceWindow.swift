/// What a maintenance window does to launches (policy `maintenance.launches`, overridable per window).
public enum MaintenanceEffect: String, Sendable, Codable, CaseIterable {
    /// Launches are refused with `apps.maintenance_window`.
    case refuse
    /// Launches are admitted with a warning in the instance's message and audit record.
    case warn
}

/// A scheduled maintenance window over some components.
public struct MaintenanceWindow: Sendable, Codable, Equatable {
    /// ULID.
    public var id: String
    public var title: String
    public var components: [String]
    public var startsAt: String
    public var endsAt: String
    /// `nil`: each project's `maintenance.refuse_launches` policy decides.
    public var effect: MaintenanceEffect?
    /// Operator view only.
    public var createdBy: String?
    public var cancelled: Bool
    public init(id: String, title: String, components: [String], startsAt: String, endsAt: String, effect: MaintenanceEffect?,
                createdBy: String? = nil, cancelled: Bool = false) {
        self.id = id
        self.title = title
        self.components = components
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.effect = effect
        self.createdBy = createdBy
        self.cancelled = cancelled
    }
}

/// `POST /v1/status/maintenance`.
public struct MaintenanceRequest: Sendable, Codable, Equatable {
    public var title: String
    public var components: [String]
    public var startsAt: String
    public var endsAt: String
    /// `nil`: the policy's effect.
    public var effect: MaintenanceEffect?
    public init(title: String, components: [String], startsAt: String, endsAt: String, effect: MaintenanceEffect? = nil) {
        self.title = title
        self.components = components
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.effect = effect
    }
}
