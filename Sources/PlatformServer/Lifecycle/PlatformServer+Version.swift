import PlatformContracts
import PlatformStore
import Synchronization

extension PlatformServer {
    /// The `/version` document: build, database backend, applied schema versions, the
    /// installation id, when this process started and each module with what it does today.
    static func versionInfo(location: DatabaseLocation, supervisor: StoreSupervisor, installationID: InstallationIDCache)
        -> @Sendable () async -> VersionInfo
    {
        let startedAt = Timestamp.now().rfc3339
        return {
            VersionInfo(
                name: "platformd", version: PlatformVersion.version, apiVersion: PlatformVersion.apiVersion,
                compiler: PlatformVersion.compiler, platform: platformName,
                databaseBackend: location.backendName, schema: supervisor.appliedVersions(),
                installationId: await installationID.value(), startedAt: startedAt,
                modules: ModuleCatalog.modules)
        }
    }

    static var platformName: String {
        #if os(Linux)
        let os = "linux"
        #elseif os(macOS)
        let os = "macos"
        #else
        let os = "unknown"
        #endif
        #if arch(x86_64)
        return "\(os)/amd64"
        #elseif arch(arm64)
        return "\(os)/arm64"
        #else
        return os
        #endif
    }
}

/// Reads the installation id once it exists and remembers it.
final class InstallationIDCache: Sendable {
    private let settings: PlatformSettings
    private let cached = Mutex<String?>(nil)

    init(settings: PlatformSettings) {
        self.settings = settings
    }

    func value() async -> String? {
        if let id = cached.withLock({ $0 }) { return id }
        guard let id = try? await settings.installationID() else { return nil }
        cached.withLock { $0 = id }
        return id
    }
}
