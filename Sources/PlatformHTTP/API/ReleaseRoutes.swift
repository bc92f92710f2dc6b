import AppPlatform
import ArtifactRegistry
import Foundation
import PlatformAPI
import PlatformContracts
import RuntimeKit

/// Handlers of the release endpoints over ``ReleaseManagement``. The platform-made evidence
/// is made here from what this server knows (its own API documents, its schema, its GPU
/// inventory, a real staging launch) and signed by the release service with the platform key;
/// promotion records a signed decision and moves every artifact through the trust ledger, so
/// the ledger's own rules (and its audit) apply to a release as to a single promotion.
extension V1Routes {
    func createRelease(_ input: OfProject<ReleaseRequest>, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<Release> {
        .value(try await requireReleases().create(input.body, in: try context.requireProject(), by: caller, requestID: context.requestID))
    }

    func listReleases(_ input: OfProject<NoBody>, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<[Release]> {
        .value(try await requireReleases().releases(in: try context.requireProject()))
    }

    func getRelease(_ input: OfItem<ProjectItems.Release, NoBody>, _ context: PlatformRequestContext, _ caller: Caller) async throws
        -> Reply<Release>
    {
        .value(try await requireReleases().release(input.path.item, in: try context.requireProject()))
    }

    func addReleaseEvidence(_ input: OfItem<ProjectItems.Release, ReleaseEvidenceRequest>, _ context: PlatformRequestContext,
                            _ caller: Caller) async throws -> Reply<ReleaseEvidence> {
        .value(try await requireReleases().attach(input.body, to: input.path.item, in: try context.requireProject(), by: caller,
                                                  requestID: context.requestID))
    }

    func addPlatformEvidence(_ input: OfItem<ProjectItems.Release, PlatformEvidenceRequest>, _ context: PlatformRequestContext,
                             _ caller: Caller) async throws -> Reply<ReleaseEvidence> {
        let (project, releases, id) = (try context.requireProject(), try requireReleases(), input.path.item)
        let release = try await releases.release(id, in: project)
        let kind = input.body.kind
        if kind != .contractDrift, input.body.report != nil {
            throw PlatformError(.releaseInvalid, "only contract-drift evidence is made from a report; \(kind.rawValue) is made from this server's own state")
        }
        let predicate: [UInt8]
        switch kind {
        case .contractDrift:
            guard let report = input.body.report, !report.isEmpty else {
                throw PlatformError(.releaseInvalid, "contract-drift evidence checks a report: pass the output of `appctl contract check --json` as report")
            }
            predicate = try PlatformMadeEvidence.contractDrift(report: report, openAPI: ServedContracts.openAPI, asyncAPI: ServedContracts.asyncAPI,
                                                               releaseSourceSha: release.sourceSha)
        case .migrationStatus:
            guard let migrationStatus else { throw PlatformError(.internalError, "this server does not report its schema migrations") }
            predicate = try PlatformMadeEvidence.migrationStatus(try await migrationStatus())
        case .capacityPosture:
            let snapshot = await policy.read().snapshot
            let percent = snapshot.integer("release.capacity_reserve_percent", project: project.id, tenant: project.tenantId) ?? 10
            predicate = try PlatformMadeEvidence.capacityPosture(nodes: await inventory.snapshot(), reservePercent: Int(percent),
                                                                 environment: release.environment)
        }
        return .value(try await releases.attachPlatformEvidence(type: kind.rawValue, predicate: predicate, to: id, in: project, by: caller,
                                                                correlationId: nil, requestID: context.requestID))
    }

    func smokeRelease(_ input: OfItem<ProjectItems.Release, ReleaseSmokeRequest>, _ context: PlatformRequestContext,
                      _ caller: Caller) async throws -> Reply<ReleaseEvidence> {
        let smoke = ReleaseSmoke(instances: instances, catalog: catalog, releases: try requireReleases())
        return .value(try await smoke.run(release: input.path.item, input.body, in: try context.requireProject(), by: caller,
                                          grants: try context.requireGrants(), correlationId: context.requestID))
    }

    func approveRelease(_ input: OfItem<ProjectItems.Release, ReleaseApprovalRequest>, _ context: PlatformRequestContext,
                        _ caller: Caller) async throws -> Reply<Release> {
        .value(try await requireReleases().approve(input.body, release: input.path.item, in: try context.requireProject(), by: caller,
                                                   requestID: context.requestID))
    }

    func getReleaseGates(_ input: OfItem<ProjectItems.Release, NoBody>, _ context: PlatformRequestContext, _ caller: Caller) async throws
        -> Reply<ReleaseDecision>
    {
        .value(try await requireReleases().evaluate(release: input.path.item, in: try context.requireProject(), by: caller, record: false,
                                                    requestID: context.requestID))
    }

    /// Records a decision; when it passes, moves every artifact below the release's
    /// environment to it (`promoted:staging` or `promoted:production`) through the ledger,
    /// which for production requires this passing decision and `release:promote`; then marks
    /// the release promoted with the request id as its correlation id.
    /// - Throws: ``ErrorCode/releaseGatesFailed`` with `details.missing` as
    ///   `gate: what; gate: what` when a gate does not pass (the failed decision is recorded).
    func promoteRelease(_ input: OfItem<ProjectItems.Release, NoBody>, _ context: PlatformRequestContext, _ caller: Caller) async throws
        -> Reply<Release>
    {
        let (project, releases, id) = (try context.requireProject(), try requireReleases(), input.path.item)
        let release = try await releases.release(id, in: project)
        guard release.state == .candidate else {
            throw PlatformError(.releaseStateInvalid, "release \(id) is already \(release.state.rawValue)", details: ["state": release.state.rawValue])
        }
        let decision = try await releases.evaluate(release: id, in: project, by: caller, record: true, requestID: context.requestID)
        guard decision.passed else {
            let failed = decision.gates.filter { !$0.passed }
            let missing = failed.map { "\($0.gate.rawValue): \($0.missing.isEmpty ? "fails" : $0.missing.joined(separator: ", "))" }
            throw PlatformError(.releaseGatesFailed,
                                "release \(id) cannot be promoted to \(release.environment): \(missing.joined(separator: "; "))",
                                details: ["missing": missing.joined(separator: "; "), "decision": decision.id ?? "",
                                          "gates": failed.map(\.gate.rawValue).joined(separator: ",")])
        }
        guard let decisionID = decision.id else { throw PlatformError(.internalError, "the release service recorded no decision id") }
        let target: TrustState = release.environment == "production" ? .promotedProduction : .promotedStaging
        for artifact in release.artifacts {
            let digest = try ContentDigest(parsing: artifact)
            let status = try await ledger.status(in: project, digest: digest)
            // Already there (or above): nothing to move; quarantined or revoked ranks below
            // and is refused by the ledger as any promotion of it would be.
            if status.state.rank >= target.rank { continue }
            _ = try await ledger.promote(in: project, digest: digest, to: target, by: caller, requestID: context.requestID)
        }
        return .value(try await releases.markPromoted(release: id, decision: decisionID, in: project, by: caller,
                                                      correlationId: context.requestID, requestID: context.requestID))
    }

    func getReleaseEnvelope(_ input: EndpointInput<ReleaseEnvelopePath, NoQuery, NoBody>, _ context: PlatformRequestContext,
                            _ caller: Caller) async throws -> Reply<SignedEnvelope> {
        .value(try await requireReleases().envelope(input.path.digest, release: input.path.release, in: try context.requireProject()))
    }

    func getPlatformEvidenceKey(_ input: Bare, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<PlatformEvidenceKey> {
        let key = try requireReleases().platformKey()
        return .value(PlatformEvidenceKey(keyId: key.keyId, publicKeyPEM: key.publicKeyPEM))
    }

    func requireReleases() throws(PlatformError) -> any ReleaseManagement {
        guard let releases else { throw PlatformError(.internalError, "this server has no release service") }
        return releases
    }
}

/// The API documents this server derives from its endpoints, made once: what platform-made
/// contract-drift evidence compares a report's committed documents with.
enum ServedContracts {
    static let openAPI: Data = OpenAPIDocument.json()
    static let asyncAPI: Data = AsyncAPIDocument.json()
}

extension V1Routes {
    /// These routes with the server's schema migration state (platform-made `migration-status`).
    public func reportingMigrations(_ status: @escaping @Sendable () async throws -> [SchemaModuleVersion]) -> V1Routes {
        var routes = self
        routes.migrationStatus = status
        return routes
    }
}
