import Foundation
import PlatformContracts

/// What `appctl audit verify` reports.
public struct AuditVerificationReport: Sendable, Codable, Equatable {
    /// Whether everything verified.
    public var valid: Bool
    /// Records checked.
    public var entries: Int
    /// Checkpoints whose signature and root verified.
    public var checkpointsVerified: Int
    /// The first sequence number that failed, when a record is to blame.
    public var firstBadSequence: Int64?
    /// What failed, in words.
    public var problem: String?
}

/// Recomputes an exported audit log from its contents: every leaf hash, the hash chain,
/// the head, and every checkpoint's Merkle root and Ed25519 signature.
public enum AuditLogVerifier {
    /// Verifies an export.
    /// - Parameters:
    ///   - export: The exported log.
    ///   - trustedKey: A verifier key obtained out of band; defaults to the one in the export.
    public static func verify(_ export: AuditExport, trustedKey: String? = nil) -> AuditVerificationReport {
        var report = AuditVerificationReport(valid: false, entries: 0, checkpointsVerified: 0)
        func fail(_ sequence: Int64?, _ problem: String) -> AuditVerificationReport {
            report.firstBadSequence = sequence
            report.problem = problem
            return report
        }
        let key: NoteKey
        do {
            key = try NoteKey(verifierKey: trustedKey ?? export.verifierKey)
        } catch {
            return fail(nil, error.message)
        }
        var chain = AuditHashing.genesis
        var leaves: [MerkleTree.Hash] = []
        leaves.reserveCapacity(export.entries.count)
        for entry in export.entries {
            let expected = Int64(leaves.count + 1)
            let record = entry.record
            guard record.sequence == expected else {
                return fail(expected, record.sequence > expected
                    ? "record \(expected) is missing (the next record is \(record.sequence))"
                    : "record \(record.sequence) appears out of order where \(expected) was expected")
            }
            let leaf = AuditHashing.leafHash(record)
            guard AuditHashing.hex(leaf) == entry.leafHash else {
                return fail(expected, "record \(expected) was altered: its content no longer matches its leaf hash")
            }
            chain = AuditHashing.chainHash(previous: chain, leaf: leaf)
            guard AuditHashing.hex(chain) == entry.chainHash else {
                return fail(expected, "record \(expected) breaks the hash chain")
            }
            leaves.append(leaf)
            report.entries += 1
        }
        guard export.size == Int64(leaves.count) else {
            return fail(Int64(leaves.count + 1), "the log head says \(export.size) records but \(leaves.count) are present")
        }
        guard export.headChainHash == AuditHashing.hex(chain) else {
            return fail(Int64(leaves.count), "the log head's chain hash does not match the records")
        }
        for note in export.checkpoints {
            let body: String
            do {
                body = try key.verify(note: note)
            } catch {
                return fail(nil, "checkpoint signature invalid: \(error.message)")
            }
            guard let checkpoint = Checkpoint(body: body), checkpoint.origin == export.origin else {
                return fail(nil, "a checkpoint is malformed or names another log")
            }
            guard checkpoint.size <= UInt64(leaves.count) else {
                return fail(Int64(leaves.count + 1), "checkpoint at size \(checkpoint.size) covers records that are missing")
            }
            guard MerkleTree.root(of: Array(leaves.prefix(Int(checkpoint.size)))) == checkpoint.rootHash else {
                return fail(nil, "the records up to \(checkpoint.size) do not match the signed checkpoint at that size")
            }
            report.checkpointsVerified += 1
        }
        report.valid = true
        return report
    }
}
