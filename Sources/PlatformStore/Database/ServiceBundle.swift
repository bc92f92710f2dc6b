import ServiceLifecycle

/// Several services run as one: each in a child task, the bundle returning when all have
/// (a graceful shutdown reaches every one) and failing when one fails. It lets one
/// ``SingletonLease`` (one lock connection per replica) cover all the singleton work.
public struct ServiceBundle: Service {
    let services: [any Service]

    /// Bundles `services`.
    public init(_ services: [any Service]) {
        self.services = services
    }

    /// Runs every service until each returns.
    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            for service in services {
                group.addTask { try await service.run() }
            }
        }
    }
}
