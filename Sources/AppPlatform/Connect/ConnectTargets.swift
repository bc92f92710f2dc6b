import PlatformContracts
import Synchronization

/// What the connect service needs to know of an instance to open a session to it.
public struct ConnectTarget: Sendable {
    /// One connect action of the app's manifest.
    public struct Action: Sendable, Hashable {
        /// Its name.
        public var name: String
        /// `web`, `port-forward`, `ssh` or `api`.
        public var type: String
        /// The endpoint it reaches.
        public var endpoint: String
        /// The manifest's credential lifetime, if it sets one.
        public var credentialTTLSeconds: Int?
        /// Extra scopes the action needs.
        public var scopes: [String]
        /// Whether the web proxy strips `/i/{instance}/{action}` or passes the full path.
        public var pathPrefix: ConnectPathPrefix = .strip
    }

    /// The instance id.
    public var id: String
    /// Its project.
    public var projectId: String
    /// Its tenant.
    public var tenantId: String
    /// The phase now.
    public var phase: InstancePhase
    /// Where its endpoints listen (the node's address).
    public var host: String
    /// Host port per endpoint name.
    public var ports: [String: Int]
    /// The manifest's connect actions, in order.
    public var actions: [Action]
    /// The manifest's `access.connectScopes`.
    public var connectScopes: [String]
    /// Whether a stop was requested (the phase may still be `ready`).
    public var stopRequested = false

    /// Whether it may be connected to now: running or ready, no stop requested. Read from the
    /// supervising replica's copy when this one supervises it, else from the stored row.
    public var isConnectable: Bool { phase.isConnectable && !stopRequested }
}

/// Connect's view of instances: targets (address, actions) read from the instance rows and
/// the app's manifest, and whether an instance may be connected to now. Parsed manifests are
/// cached by `project/app@version`, since a registered version never changes.
final class ConnectTargets: Sendable {
    let repository: InstanceRepository
    let live: LiveInstances
    let catalog: AppCatalog
    private let manifests = Mutex<[String: LaunchManifest]>([:])

    init(repository: InstanceRepository, live: LiveInstances, catalog: AppCatalog) {
        self.repository = repository
        self.live = live
        self.catalog = catalog
    }

    /// The instance, its address and its app's connect actions.
    /// - Throws: ``ErrorCode/instanceNotFound`` (also for another project's instance).
    func target(in project: Project, id: String) async throws -> ConnectTarget {
        guard let stored = try await repository.find(id, project: project.id) else {
            throw PlatformError(.instanceNotFound, "no instance \(id) in project \(project.id)")
        }
        let row = live.row(stored.id) ?? stored
        let key = "\(row.projectId)/\(row.app)@\(row.version)"
        let manifest: LaunchManifest
        if let cached = manifests.withLock({ $0[key] }) {
            manifest = cached
        } else {
            // The project's own registration, else the platform catalog's (an instance launched from it).
            guard let text = try await catalog.manifestText(ofInstance: row.app, version: row.version, in: project) else {
                throw PlatformError(.appNotFound, "\(row.app)@\(row.version) is no longer registered in project \(row.projectId)")
            }
            do {
                manifest = try LaunchManifest.parse(text)
            } catch {
                throw PlatformError(.manifestInvalid, "the manifest of \(row.app)@\(row.version) cannot be read: \(error)")
            }
            manifests.withLock { $0[key] = manifest }
        }
        return ConnectTarget(
            id: row.id, projectId: row.projectId, tenantId: row.tenantId, phase: row.phase, host: row.host ?? "127.0.0.1",
            ports: row.endpoints,
            actions: (manifest.connect ?? []).map {
                .init(name: $0.name, type: $0.type, endpoint: $0.endpoint, credentialTTLSeconds: $0.credentialTTLSeconds, scopes: $0.scopes ?? [],
                      pathPrefix: $0.pathPrefix ?? .strip)
            },
            connectScopes: manifest.access?.connectScopes ?? [], stopRequested: row.stopRequested)
    }

    /// Whether an instance may be connected to: as this process supervises it, else as its
    /// stored row says (an instance another replica supervises).
    func isConnectableHereOrStored(_ id: String) async throws -> Bool {
        if live.row(id) != nil { return isConnectable(id) }
        guard let stored = try await repository.find(id) else { return false }
        return stored.phase.isConnectable && !stored.stopRequested
    }

    /// Whether an instance this process supervises may still be connected to (running or
    /// ready, no stop requested); `false` for one it does not supervise (see
    /// ``isConnectableHereOrStored(_:)``).
    func isConnectable(_ id: String) -> Bool {
        guard let row = live.row(id) else { return false }
        return row.phase.isConnectable && !row.stopRequested
    }
}
