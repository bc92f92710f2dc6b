import ArgumentParser

/// How commands print results.
public enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// Aligned columns for people.
    case table
    /// JSON for programs.
    case json
    /// YAML for people and programs.
    case yaml
    /// CSV (RFC 4180) for spreadsheets: only where a command's result is a table of money
    /// (`appctl billing statement`, `appctl usage summary`); elsewhere a usage error.
    case csv
}
