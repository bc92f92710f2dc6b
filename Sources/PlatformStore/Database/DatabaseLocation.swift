import Foundation
import PlatformContracts

/// Which database the store talks to, parsed from `--database-url`.
///
/// - `sqlite:/abs/path.db`, `sqlite:///abs/path.db` or `sqlite:relative.db`: the embedded default.
/// - `postgres://user:password@host:port/db?sslmode=disable` (or `postgresql://`).
///
/// ```swift
/// let location = try DatabaseLocation(url: "postgres://app@127.0.0.1:5432/platform")
/// print(location.redacted)   // the URL with any password replaced by ***
/// ```
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// An SQLite file (WAL mode).
    case sqlite(path: String)
    /// A PostgreSQL server.
    case postgres(url: String)

    /// Parses a database URL.
    /// - Throws: ``ErrorCode/storeInvalidURL`` for other schemes or malformed URLs.
    public init(url: String) throws(PlatformError) {
        if url.hasPrefix("sqlite:") {
            var path = String(url.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else {
                throw PlatformError(.storeInvalidURL, "the sqlite URL names no file; use sqlite:/path/to/platform.db")
            }
            self = .sqlite(path: path)
            return
        }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            throw PlatformError(.storeInvalidURL, "cannot parse database URL \(Self.redact(url))")
        }
        guard ["postgres", "postgresql"].contains(scheme) else {
            throw PlatformError(
                .storeInvalidURL,
                "unsupported database scheme \"\(scheme)\": use postgres://… or sqlite:/path"
            )
        }
        guard let host = components.host, !host.isEmpty else {
            throw PlatformError(.storeInvalidURL, "the database URL \(Self.redact(url)) names no host")
        }
        self = .postgres(url: url)
    }

    /// The backend's short name: `sqlite` or `postgres`.
    public var backendName: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgres: "postgres"
        }
    }

    /// The location with any password replaced by `***`, safe for logs and health output.
    public var redacted: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url): Self.redact(url)
        }
    }

    /// Same as ``redacted``: a location never prints its password.
    public var description: String { redacted }

    static func redact(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "<unparseable URL>" }
        if components.password != nil { components.password = "***" }
        return components.string ?? "<unparseable URL>"
    }
}
