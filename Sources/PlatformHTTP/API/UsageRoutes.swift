import PlatformAPI
import PlatformContracts

/// Handlers of the usage endpoints. Each event's project is resolved within the caller's
/// reach (out of reach: 404, as IAM answers), and the tenant charged is always that
/// project's: a product names where usage happened, never whom to bill. The batch is then
/// stored atomically by the ``UsageRecorder``, which validates units, versions, ownership,
/// the late window, corrections and conflicts.
extension V1Routes {
    /// The most events one batch may carry (the recorder enforces it too; checked here before
    /// a thousand project lookups).
    static let maxUsageBatch = 1000

    func ingestUsageEvents(_ input: EndpointInput<NoPath, NoQuery, UsageEventBatch>, _ context: PlatformRequestContext,
                           _ caller: Caller) async throws -> Reply<UsageIngestReport> {
        let batch = input.body
        guard !batch.events.isEmpty, batch.events.count <= Self.maxUsageBatch else {
            throw PlatformError(.usageBatchInvalid, "a batch holds 1 to \(Self.maxUsageBatch) events, not \(batch.events.count)",
                                details: ["events": String(batch.events.count)])
        }
        let usage = try requireUsage()
        var projects: [String: Project] = [:]
        var events: [UsageEvent] = []
        events.reserveCapacity(batch.events.count)
        for event in batch.events {
            let project: Project
            if let known = projects[event.project] {
                project = known
            } else {
                project = try await identity.project(event.project, visibleTo: caller)
                projects[event.project] = project
            }
            events.append(UsageEvent(
                source: batch.source, id: event.id, unit: event.unit,
                unitVersion: event.unitVersion ?? usageUnits?.unit(event.unit)?.version ?? 1, quantity: event.quantity,
                tenant: project.tenantId, project: ProjectID(project.id), product: batch.source, app: event.app, instance: event.instance,
                occurredAt: event.occurredAt, corrects: event.corrects))
        }
        return .value(try await usage.ingest(events))
    }

    func getUsageSummary(_ input: EndpointInput<NoPath, UsageSummaryQuery, NoBody>, _ context: PlatformRequestContext,
                         _ caller: Caller) async throws -> Reply<UsageSummary> {
        let query = input.query
        let since = query.since ?? BillingPeriod(containing: .now()).start
        let billing = try requireBilling()
        if let reference = query.project {
            let project = try await identity.project(reference, visibleTo: caller)
            return .value(try await billing.usageSummary(tenant: nil, project: project.id, since: since, groupBy: query.groupBy))
        }
        let tenant = try await billingTenant(query.tenant ?? "", caller)
        return .value(try await billing.usageSummary(tenant: tenant.id, project: nil, since: since, groupBy: query.groupBy))
    }

    /// The usage log, or a 500 on a server assembled without one (route tests that do not
    /// exercise usage).
    func requireUsage() throws(PlatformError) -> any UsageRecorder {
        guard let usage else { throw PlatformError(.internalError, "this server has no usage recorder") }
        return usage
    }
}
