import Foundation
import PlatformContracts

/// What `appctl audit verify` reports.
public struct AuditVerificationReport: Sendable, Codable, Equatable {
    /// One thing that failed.
    public struct Problem: Sendable, Codable, Equatable {
        /// The record to blame, when one is.
        public var sequence: Int64?
        /// What failed, in words.
        public var message: String

        /// Creates a problem.
        public init(sequence: Int64?, message: String) {
            self.sequence = sequence
            self.message = message
        }
    }

    /// Whether everything verified.
    public var valid: Bool
    /// Records whose content, leaf hash and chain link all verified.
    public var entries: Int
    /// Checkpoints whose signature and root verified.
    public var checkpointsVerified: Int
    /// The first sequence number that failed, when a record is to blame.
    public var firstBadSequence: Int64?
    /// The first problem, in words.
    public var problem: String?
    /// Every problem found, in log order; the check does not stop at the first, so one bad
    /// record cannot hide a later one.
    public var problems: [Problem] = []
    /// The newest checkpoint that verified: what a monitor remembers.
    public var latestCheckpoint: Checkpoint?

    /// Creates a report.
    public init(valid: Bool, entries: Int, checkpointsVerified: Int, firstBadSequence: Int64? = nil, problem: String? = nil,
                problems: [Problem] = [], latestCheckpoint: Checkpoint? = nil) {
        self.valid = valid
        self.entries = entries
        self.checkpointsVerified = checkpointsVerified
        self.firstBadSequence = firstBadSequence
        self.problem = problem
        self.problems = problems
        self.latestCheckpoint = latestCheckpoint
    }

    mutating func add(_ sequence: Int64?, _ message: String) {
        if problems.isEmpty {
            firstBadSequence = sequence
            problem = message
        }
        problems.append(Problem(sequence: sequence, message: message))
    }
}

/// Recomputes an exported audit log from its contents: every leaf hash, the hash chain,
/// the head, and every checkpoint's Merkle root and Ed25519 signature.
///
/// Each record is checked on its own (content against its stored leaf hash, the stored
/// leaf hash against its chain link), so every altered record is named, not only the first.
/// The stored leaf hashes are what the checkpoints' Merkle roots are recomputed from: a
/// record rewritten together with its hashes is still caught by every checkpoint after it.
public enum AuditLogVerifier {
    /// Verifies an export.
    /// - Parameters:
    ///   - export: The exported log.
    ///   - trustedKey: A verifier key obtained out of band; defaults to the one in the export.
    public static func verify(_ export: AuditExport, trustedKey: String? = nil) -> AuditVerificationReport {
        var report = AuditVerificationReport(valid: false, entries: 0, checkpointsVerified: 0)
        let key: NoteKey
        do {
            key = try NoteKey(verifierKey: trustedKey ?? export.verifierKey)
        } catch {
            report.add(nil, error.message)
            return report
        }
        let leaves = checkEntries(export, into: &report)
        checkCheckpoints(export, leaves: leaves, key: key, into: &report)
        report.valid = report.problems.isEmpty
        return report
    }

    /// Checks every record and the head; returns the leaf hashes by position (stored ones
    /// where readable), for the checkpoints.
    private static func checkEntries(_ export: AuditExport, into report: inout AuditVerificationReport) -> [MerkleTree.Hash] {
        var previousChain: [UInt8]? = AuditHashing.genesis
        var leaves: [MerkleTree.Hash] = []
        leaves.reserveCapacity(export.entries.count)
        for entry in export.entries {
            let expected = Int64(leaves.count + 1)
            let record = entry.record
            if record.sequence < expected {
                report.add(record.sequence, "record \(record.sequence) appears out of order where \(expected) was expected")
                continue
            }
            // A gap wider than the export could have held is a forged sequence number, not
            // missing records: padding it would allocate without bound (a crafted export
            // must not crash or exhaust `appctl audit verify`).
            if record.sequence > expected, record.sequence - expected > Int64(export.entries.count) + 1_000_000 {
                report.add(record.sequence, "record \(record.sequence) is far beyond the \(expected) expected; the export is malformed")
                break
            }
            if record.sequence > expected {
                report.add(expected, expected == record.sequence - 1
                    ? "record \(expected) is missing (the next record is \(record.sequence))"
                    : "records \(expected)…\(record.sequence - 1) are missing (the next record is \(record.sequence))")
                // The missing records' positions get placeholders so later positions stay
                // right; the checkpoints covering them fail on their roots.
                leaves += Array(repeating: [UInt8](repeating: 0, count: 32), count: Int(record.sequence - expected))
                previousChain = nil
            }
            let sequence = record.sequence
            let computed = AuditHashing.leafHash(record)
            let stored = bytes(hex: entry.leafHash)
            var good = true
            if AuditHashing.hex(computed) != entry.leafHash {
                report.add(sequence, "record \(sequence) was altered: its content no longer matches its leaf hash")
                good = false
            }
            let link = stored ?? computed
            if let previous = previousChain {
                if AuditHashing.hex(AuditHashing.chainHash(previous: previous, leaf: link)) != entry.chainHash {
                    report.add(sequence, "record \(sequence) breaks the hash chain")
                    good = false
                }
            }
            // After a gap the link of the next record cannot be checked; it resumes from
            // that record's stored chain hash.
            previousChain = bytes(hex: entry.chainHash)
            leaves.append(link)
            if good { report.entries += 1 }
        }
        if export.size != Int64(leaves.count) {
            report.add(Int64(leaves.count + 1), "the log head says \(export.size) records but \(leaves.count) are present")
        } else if let last = export.entries.last, export.headChainHash != last.chainHash {
            report.add(Int64(leaves.count), "the log head's chain hash does not match the records")
        } else if export.entries.isEmpty, export.headChainHash != AuditHashing.hex(AuditHashing.genesis) {
            report.add(nil, "the log head's chain hash does not match the records")
        }
        return leaves
    }

    private static func checkCheckpoints(
        _ export: AuditExport, leaves: [MerkleTree.Hash], key: NoteKey, into report: inout AuditVerificationReport
    ) {
        for note in export.checkpoints {
            let body: String
            do {
                body = try key.verify(note: note)
            } catch {
                report.add(nil, "checkpoint signature invalid: \(error.message)")
                continue
            }
            guard let checkpoint = Checkpoint(body: body), checkpoint.origin == export.origin else {
                report.add(nil, "a checkpoint is malformed or names another log")
                continue
            }
            guard checkpoint.size <= UInt64(leaves.count) else {
                report.add(Int64(leaves.count + 1), "checkpoint at size \(checkpoint.size) covers records that are missing")
                continue
            }
            guard MerkleTree.root(of: Array(leaves.prefix(Int(checkpoint.size)))) == checkpoint.rootHash else {
                report.add(nil, "the records up to \(checkpoint.size) do not match the signed checkpoint at that size")
                continue
            }
            report.checkpointsVerified += 1
            if checkpoint.size >= report.latestCheckpoint?.size ?? 0 { report.latestCheckpoint = checkpoint }
        }
    }

    /// Hex to bytes; `nil` unless it is 32 bytes of lowercase or uppercase hex.
    static func bytes(hex: String) -> [UInt8]? {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 64 else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(32)
        for index in stride(from: 0, to: 64, by: 2) {
            guard let byte = UInt8(String(decoding: utf8[index..<(index + 2)], as: UTF8.self), radix: 16) else { return nil }
            result.append(byte)
        }
        return result
    }
}
