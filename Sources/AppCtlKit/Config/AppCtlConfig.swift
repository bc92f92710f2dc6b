import Foundation
import ManifestKit
import PlatformContracts
import Yams

/// `~/.config/appctl/config.yaml`: named contexts (server + optional token and default
/// project) and the current one.
///
/// ```yaml
/// current-context: local
/// contexts:
///   - name: local
///     server: http://127.0.0.1:8080
///     project: acme/ml
/// ```
public struct AppCtlConfig: Codable, Equatable, Sendable {
    /// One named server.
    public struct Context: Codable, Equatable, Sendable {
        /// The context's name.
        public var name: String
        /// Base URL of the server.
        public var server: String
        /// API key, if stored.
        public var token: String?
        /// The project commands use when `--project` and `APPCTL_PROJECT` are absent:
        /// `tenant/project` (names) or a project id.
        public var project: String?

        /// Creates a context.
        public init(name: String, server: String, token: String? = nil, project: String? = nil) {
            self.name = name
            self.server = server
            self.token = token
            self.project = project
        }
    }

    /// The context commands use when none is named.
    public var currentContext: String?
    /// Every context.
    public var contexts: [Context]

    enum CodingKeys: String, CodingKey {
        case currentContext = "current-context"
        case contexts
    }

    /// Creates a config.
    public init(currentContext: String? = nil, contexts: [Context] = []) {
        self.currentContext = currentContext
        self.contexts = contexts
    }

    /// Loads the file, or an empty config when it does not exist.
    /// - Throws: ``AppCtlError`` with ``ErrorCode/clientConfigInvalid``.
    public static func load(from path: String) throws -> AppCtlConfig {
        guard FileManager.default.fileExists(atPath: path) else { return AppCtlConfig() }
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return AppCtlConfig() }
            try DocumentLimits.standard.check(yaml: text)
            return try YAMLDecoder().decode(AppCtlConfig.self, from: text)
        } catch {
            throw AppCtlError(.clientConfigInvalid, "cannot read \(path): \(error)")
        }
    }

    /// Writes the file (mode 0600: it may hold tokens), creating its folder.
    public func save(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            let text = try YAMLEncoder().encode(self)
            try Data(text.utf8).write(to: url, options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        } catch {
            throw AppCtlError(.clientConfigInvalid, "cannot write \(path): \(error)")
        }
    }

    /// The context with that name.
    public func context(named name: String) -> Context? {
        contexts.first { $0.name == name }
    }

    /// The context with that name, or ``ErrorCode/clientContextNotFound``.
    public func requireContext(named name: String) throws -> Context {
        guard let context = context(named: name) else {
            throw AppCtlError(.clientContextNotFound, "no context named \"\(name)\"; run `appctl context list` to see them")
        }
        return context
    }
}
