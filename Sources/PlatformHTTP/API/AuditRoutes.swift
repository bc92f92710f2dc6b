import PlatformAPI
import PlatformContracts
import TransparencyLog

/// Handlers of the audit endpoints: the record list, the export, and what monitors use — the
/// newest signed checkpoint and the RFC 6962 consistency proof between two tree sizes (what
/// `appctl audit verify` demands from the checkpoint it remembered, so a truncated or
/// rewritten log cannot pass).
extension V1Routes {
    func listAuditRecords(_ input: EndpointInput<NoPath, AuditRecordsQuery, NoBody>, _ context: PlatformRequestContext,
                          _ caller: Caller) async throws -> Reply<[AuditRecord]> {
        let query = input.query
        return .value(try await audit.records(
            action: query.action, since: query.since, afterSequence: query.after, limit: query.limit, visibleTo: caller))
    }

    /// The export's bytes as the audit service wrote them (the document the offline verifier reads).
    func exportAudit(_ input: Bare, _ context: PlatformRequestContext, _ caller: Caller) async throws -> Reply<AuditExport> {
        .response(Self.jsonBytes(try await audit.exportJSON(by: caller, requestID: context.requestID)))
    }

    func getAuditCheckpoint(_ input: Bare, _ context: PlatformRequestContext,
                            _ caller: Caller) async throws -> Reply<AuditCheckpointInfo> {
        guard let checkpoint = try await audit.latestCheckpoint() else {
            throw PlatformError(.httpNotFound, "the audit log has no signed checkpoint yet")
        }
        return .value(checkpoint)
    }

    func getAuditConsistency(_ input: EndpointInput<NoPath, AuditConsistencyQuery, NoBody>, _ context: PlatformRequestContext,
                             _ caller: Caller) async throws -> Reply<AuditConsistencyProof> {
        .value(try await audit.consistencyProof(from: input.query.from, to: input.query.to))
    }
}
