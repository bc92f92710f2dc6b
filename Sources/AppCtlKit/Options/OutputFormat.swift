import ArgumentParser

/// How commands print results.
public enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// Aligned columns for people.
    case table
    /// JSON for programs.
    case json
    /// YAML for people and programs.
    case yaml
}
