import AppPlatform
import PlatformStore

extension PlatformServer {
    /// Every schema module's applied version, read from the database now (not the start-up
    /// copy: a release's migration evidence is about the server as it runs), against the
    /// newest version this build knows; modules only the database knows are listed with
    /// expected 0, so they read as ahead.
    static func migrationState(store: SQLStore) async throws -> [SchemaModuleVersion] {
        let applied = try await Migrator(store: store, sets: ModuleCatalog.migrations).appliedVersions()
        let expected = Dictionary(ModuleCatalog.migrations.map { ($0.module, $0.latestVersion) }, uniquingKeysWith: max)
        return Set(applied.keys).union(expected.keys).sorted().map {
            SchemaModuleVersion(module: $0, applied: applied[$0] ?? 0, expected: expected[$0] ?? 0)
        }
    }
}
