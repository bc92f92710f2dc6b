import Foundation
import PlatformAPI
import PlatformClient
import PlatformContracts
import TransparencyLog

/// The monitor's check: today's newest verified checkpoint must extend the one verified
/// last time, shown by the server's RFC 6962 consistency proof, verified here.
enum AuditMonitor {
    /// Returns a line for the report, or throws ``ErrorCode/auditLogInconsistent``.
    static func requireConsistency(
        from remembered: AuditMonitorState.Server, to latest: Checkpoint, client: PlatformClient
    ) async throws -> String {
        guard let oldRoot = Data(base64Encoded: remembered.rootHash).map(Array.init), oldRoot.count == 32 else {
            throw AppCtlError(.clientConfigInvalid, "the remembered checkpoint's root is not base64 of 32 bytes")
        }
        let seen = "the checkpoint at \(remembered.size) records verified at \(remembered.verifiedAt)"
        guard latest.origin == remembered.origin else {
            throw AppCtlError(.auditLogInconsistent, "the log is now \"\(latest.origin)\", not \"\(remembered.origin)\" as at \(seen)")
        }
        let newSize = Int64(latest.size)
        guard newSize >= remembered.size else {
            throw AppCtlError(
                .auditLogInconsistent,
                "the log shrank: its newest checkpoint covers \(newSize) records, but \(seen); records were deleted (tail truncation)")
        }
        if newSize == remembered.size {
            guard latest.rootHash == oldRoot else {
                throw AppCtlError(.auditLogInconsistent, "the log was rewritten: its root at \(newSize) records differs from \(seen)")
            }
            return "Consistent with \(seen) (unchanged)."
        }
        let proof: AuditConsistencyProof
        do {
            proof = try await client.send(Endpoints.getAuditConsistency, query: AuditConsistencyQuery(from: remembered.size, to: newSize))
        } catch let error as PlatformClientError {
            throw AppCtlError(.auditLogInconsistent, "the server gave no consistency proof from \(seen) to \(newSize) records: \(AppCtlError(error).message)")
        }
        let nodes = proof.proof.compactMap { Data(base64Encoded: $0).map(Array.init) }
        guard proof.from == remembered.size, proof.to == newSize, nodes.count == proof.proof.count,
              MerkleTree.verifyConsistency(
                oldSize: UInt64(remembered.size), newSize: latest.size, oldRoot: oldRoot, newRoot: latest.rootHash, proof: nodes)
        else {
            throw AppCtlError(
                .auditLogInconsistent,
                "the consistency proof from \(seen) to \(newSize) records does not verify: the log was truncated or rewritten")
        }
        return "Consistent with \(seen) (RFC 6962 consistency proof verified)."
    }
}
