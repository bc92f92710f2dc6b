import PlatformContracts

/// `database:responseTime`: round-trips `SELECT 1` and says why when it cannot.
public struct DatabaseHealthCheck: HealthCheck {
    /// The check key.
    public let key = "database:responseTime"
    private let store: SQLStore
    private let schemaState: @Sendable () async -> String?

    /// Creates the check.
    /// - Parameters:
    ///   - store: The database to ping.
    ///   - schemaProblem: Returns a sentence when the schema is not usable yet (not migrated).
    public init(store: SQLStore, schemaProblem: @escaping @Sendable () async -> String? = { nil }) {
        self.store = store
        self.schemaState = schemaProblem
    }

    /// Pings the database.
    public func check() async -> HealthCheckResult {
        do {
            let elapsed = try await store.ping()
            let millis = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
            if let problem = await schemaState() {
                return HealthCheckResult(
                    status: .fail, componentType: "datastore", observedValue: millis, observedUnit: "ms",
                    time: .now(), output: problem)
            }
            return HealthCheckResult(
                status: .pass, componentType: "datastore", observedValue: millis, observedUnit: "ms", time: .now())
        } catch {
            let text = (error as? PlatformError).map { "\($0.code): \($0.message)" } ?? "\(error)"
            return HealthCheckResult(status: .fail, componentType: "datastore", time: .now(), output: text)
        }
    }
}
