import Foundation
import IAMService
import Logging
import PlatformContracts
import PlatformStore
import PolicyService
import ServiceLifecycle

/// The SQL store as a `Service`: it idles until the group shuts down (gracefully or by
/// cancellation after a failure), then closes the pool. It is the application's first
/// service, and a `ServiceGroup` stops services in reverse order, so every service that uses
/// the store has stopped before it closes.
struct StoreService: Service {
    let store: SQLStore

    func run() async throws {
        try? await gracefulShutdown()
        await store.shutdown()
    }
}

extension PlatformServer {
    /// Bootstrap step 2: opens the store and hands it to `assemble`. Until `assemble` returns
    /// the store is this function's to close, and it does when `assemble` throws: this is the
    /// one place start-up unwinds it. Once assembled, the application's ``StoreService`` owns it.
    static func withStore<Result>(
        _ location: DatabaseLocation, logger: Logger, assemble: (SQLStore) async throws -> Result
    ) async throws -> Result {
        let store = try await SQLStore.open(location, logger: logger)
        do {
            return try await assemble(store)
        } catch {
            await store.shutdown()
            throw error
        }
    }

    /// Migrates every module's schema, creates the installation id and, on a fresh database,
    /// the bootstrap admin. An unreachable database is not fatal: the returned supervisor
    /// retries in the background while `/readyz` says why.
    /// - Throws: ``ErrorCode/storeSchemaTooNew`` and any other store error but unavailability.
    static func migrateAtStart(store: SQLStore, files: HostFiles, services: PlatformServices, logger: Logger) async throws
        -> StoreSupervisor
    {
        let migrator = Migrator(store: store, sets: ModuleCatalog.migrations, logger: logger)
        let identity = services.identity
        let keyFile = files.bootstrapKeyFile
        let bootstrapAdmin: @Sendable () async throws -> Void = {
            if let file = try await identity.bootstrapIfEmpty(keyFile: keyFile) {
                logger.notice("bootstrap admin created; its API key was written once (mode 0600)", metadata: [
                    "key_file": "\(file.path)", "next_step": "appctl login --key-file \(file.path)",
                ])
            }
        }
        var problem: String?
        var applied: [String: Int] = [:]
        do {
            try await migrator.migrate()
            applied = try await migrator.appliedVersions()
            _ = try await PlatformSettings(store: store).installationID()
            try await bootstrapAdmin()
            // The first policy snapshot (written, and audited, when the registry is new) exists
            // before the first request; if this fails the refresher retries and writes wait.
            do { _ = try await services.policy.refresh() } catch {
                logger.warning("policy snapshot not loaded at start-up; the refresher retries", metadata: ["error": "\(error)"])
            }
        } catch let error as PlatformError where error.code == .storeUnavailable {
            problem = error.message
            logger.error("database unavailable at start-up; serving with /readyz failing until it answers", metadata: [
                "database": "\(files.databaseLocation.redacted)", "error": "\(error.message)",
            ])
        }
        return StoreSupervisor(migrator: migrator, initialProblem: problem, applied: applied, logger: logger, onReady: bootstrapAdmin)
    }
}
