import AuditService
import Foundation
import HTTPTypes
import PlatformContracts
import PlatformServer
import PlatformTestKit
import Testing
import TransparencyLog

/// `GET /v1/audit/checkpoint` and `GET /v1/audit/consistency`: what a monitor needs to
/// prove that today's log extends the checkpoint it remembered, checked against the
/// TransparencyLog verifier.
@Suite("Audit checkpoint and consistency endpoints")
struct AuditConsistencyTests {
    @Test("the served consistency proofs verify against roots recomputed from the export; bad sizes are 400",
          arguments: ServerBackend.enabled)
    func consistencyEndpoint(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let audit = fixture.server.audit
            for index in 0..<20 {
                try await audit.record(AuditEvent(actor: PrincipalID("tester"), action: "iam.access.denied", target: "t/\(index)", outcome: .denied))
                if index % 7 == 0 { try await audit.checkpoint() }
            }
            // The checkpoint endpoint signs over the head first, so it covers every record.
            let checkpoint = try await fixture.ok(.get, "/v1/audit/checkpoint", key: fixture.adminKey, as: AuditCheckpointInfo.self)
            let body = try NoteKey(verifierKey: checkpoint.verifierKey).verify(note: checkpoint.note)
            let parsed = try #require(Checkpoint(body: body))
            #expect(Int64(parsed.size) == checkpoint.size && Data(parsed.rootHash).base64EncodedString() == checkpoint.rootHash)
            #expect(checkpoint.size == 22)  // 20, the bootstrap record and the first policy snapshot (written at start)

            let export = try await fixture.ok(.get, "/v1/audit/export", key: fixture.adminKey, as: AuditExport.self)
            #expect(AuditLogVerifier.verify(export).valid)
            let leaves = export.entries.map { entry in
                stride(from: 0, to: 64, by: 2).map { UInt8(entry.leafHash.dropFirst($0).prefix(2), radix: 16)! }
            }
            let size = leaves.count
            for (from, to) in [(1, 1), (1, size), (7, 8), (8, 22), (13, size), (size - 1, size), (16, 16)] {
                let proof = try await fixture.ok(.get, "/v1/audit/consistency?from=\(from)&to=\(to)", key: fixture.adminKey,
                                                 as: AuditConsistencyProof.self)
                let nodes = proof.proof.map { Array(Data(base64Encoded: $0)!) }
                #expect(proof.from == Int64(from) && proof.to == Int64(to))
                #expect(MerkleTree.verifyConsistency(
                    oldSize: UInt64(from), newSize: UInt64(to), oldRoot: MerkleTree.root(of: Array(leaves.prefix(from))),
                    newRoot: MerkleTree.root(of: Array(leaves.prefix(to))), proof: nodes), "\(from)→\(to)")
                // A rewritten history (another old root) does not verify with it.
                if from < to {
                    #expect(!MerkleTree.verifyConsistency(
                        oldSize: UInt64(from), newSize: UInt64(to), oldRoot: MerkleTree.root(of: Array(leaves.prefix(from - 1)) + [leaves[to - 1]]),
                        newRoot: MerkleTree.root(of: Array(leaves.prefix(to))), proof: nodes))
                }
            }
            for query in ["from=0&to=3", "from=5&to=3", "from=1&to=\(size + 1)", "from=abc&to=3", "to=3",
                          "from=1&to=9223372036854775808", "from=-1&to=2"] {
                let reply = try await fixture.call(.get, "/v1/audit/consistency?\(query)", key: fixture.adminKey)
                #expect(reply.status == .badRequest, "\(query) → \(reply.status)")
            }
            // Audit read is enough: a project admin's key may ask.
            let (_, _, _, key) = try await fixture.makeProject(tenant: "acme", project: "vision", account: "ci")
            #expect(try await fixture.call(.get, "/v1/audit/consistency?from=1&to=2", key: key.key).status == .ok)
            #expect(try await fixture.call(.get, "/v1/audit/checkpoint", key: key.key).status == .ok)
        }
    }
}
