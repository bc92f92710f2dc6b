/// How bad an incident is.
public enum IncidentImpact: String, Sendable, Codable, CaseIterable {
    case minor, major, critical
}

/// Where an incident stands (Statuspage's vocabulary).
public enum IncidentState: String, Sendable, Codable, CaseIterable {
    case investigating, identified, monitoring, resolved
}

/// One entry of an incident's timeline.
public struct IncidentUpdate: Sendable, Codable, Equatable {
    public var state: IncidentState
    public var message: String
    public var at: String
    /// Operator view only.
    public var author: String?
    public init(state: IncidentState, message: String, at: String, author: String? = nil) {
        self.state = state
        self.message = message
        self.at = at
        self.author = author
    }
}

/// An incident: affected components and a timeline, from open to resolved.
public struct Incident: Sendable, Codable, Equatable {
    /// ULID.
    public var id: String
    public var title: String
    public var impact: IncidentImpact
    public var state: IncidentState
    /// Component ids.
    public var components: [String]
    /// Oldest first.
    public var timeline: [IncidentUpdate]
    public var openedAt: String
    public var resolvedAt: String?
    public init(id: String, title: String, impact: IncidentImpact, state: IncidentState, components: [String],
                timeline: [IncidentUpdate], openedAt: String, resolvedAt: String? = nil) {
        self.id = id
        self.title = title
        self.impact = impact
        self.state = state
        self.components = components
        self.timeline = timeline
        self.openedAt = openedAt
        self.resolvedAt = resolvedAt
    }
}

/// `POST /v1/status/incidents`.
public struct IncidentRequest: Sendable, Codable, Equatable {
    public var title: String
    public var impact: IncidentImpact
    public var components: [String]
    public var message: String
    public init(title: String, impact: IncidentImpact, components: [String], message: String) {
        self.title = title
        self.impact = impact
        self.components = components
        self.message = message
    }
}

/// `POST /v1/status/incidents/{incident}/updates` (state `resolved` resolves it).
public struct IncidentUpdateRequest: Sendable, Codable, Equatable {
    public var state: IncidentState
    public var message: String
    public init(state: IncidentState, message: String) {
        self.state = state
        self.message = message
    }
}
