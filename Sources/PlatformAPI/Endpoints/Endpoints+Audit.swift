import HTTPTypes
import PlatformContracts

extension Endpoints {
    public static let listAuditRecords = Endpoint<NoPath, AuditRecordsQuery, NoBody, [AuditRecord]>(
        .listAuditRecords, in: .audit, .get, "/v1/audit/records", scope: "audit:log:read", summary: "List audit records.")
    public static let exportAudit = Endpoint<NoPath, NoQuery, NoBody, AuditExport>(
        .exportAudit, in: .audit, .get, "/v1/audit/export", scope: "audit:log:export", summary: "Export the audit log for offline verification.")
    public static let getAuditCheckpoint = Endpoint<NoPath, NoQuery, NoBody, AuditCheckpointInfo>(
        .getAuditCheckpoint, in: .audit, .get, "/v1/audit/checkpoint", scope: "audit:log:read",
        summary: "The newest signed checkpoint of the audit log (C2SP signed note, size, root) and the server's verifier key.")
    public static let getAuditConsistency = Endpoint<NoPath, AuditConsistencyQuery, NoBody, AuditConsistencyProof>(
        .getAuditConsistency, in: .audit, .get, "/v1/audit/consistency", scope: "audit:log:read",
        summary: "RFC 6962 consistency proof between the log's first `from` and first `to` records, for monitors that remember a checkpoint.")
}
