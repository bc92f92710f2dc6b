import Foundation
import HTTPTypes
import Hummingbird
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
        let records = try await audit.records(matching: query.filter, visibleTo: caller)
        guard let next = query.next(after: records) else { return .value(records) }
        var response = JSONResponse.make(records)
        response.headers[Self.link] = "<\(Endpoints.listAuditRecords.path(NoPath()))\(Self.queryString(next.items))>; rel=\"next\""
        return .response(response)
    }

    /// A newest-first page's link to the older records (RFC 8288), as the registry's tag list does.
    static let link = HTTPField.Name("Link")!

    /// `?name=value&…`, each part percent-encoded but for RFC 3986's unreserved characters.
    static func queryString(_ items: [(name: String, value: String)]) -> String {
        let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        func escape(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "" }
        return items.isEmpty ? "" : "?" + items.map { "\(escape($0.name))=\(escape($0.value))" }.joined(separator: "&")
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
