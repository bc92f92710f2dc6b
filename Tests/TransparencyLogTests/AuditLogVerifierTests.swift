import Crypto
import Foundation
import PlatformContracts
import Testing
import TransparencyLog

/// The offline verifier names every bad record (one altered record used to hide every later
/// one), and the canonical form the writer stores is what it hashes.
@Suite("Audit log verifier")
struct AuditLogVerifierTests {
    static let origin = "platformd/test/audit"

    /// A signed export of `count` records with a checkpoint at every `every` records and at the end.
    static func export(count: Int, every: Int = 4) throws -> AuditExport {
        let key = NoteKey(name: "test", privateKey: Curve25519.Signing.PrivateKey())
        var entries: [AuditExport.Entry] = []
        var chain = AuditHashing.genesis
        var leaves: [MerkleTree.Hash] = []
        var notes: [String] = []
        for sequence in 1...count {
            let record = AuditRecord(
                sequence: Int64(sequence), id: "id-\(sequence)", time: "2026-01-01T00:00:00Z", tenant: nil, project: nil,
                actor: "tester", action: "iam.access.denied", target: "thing/\(sequence)", outcome: .denied, requestId: nil,
                details: ["n": "\(sequence)"])
            let leaf = AuditHashing.leafHash(record)
            chain = AuditHashing.chainHash(previous: chain, leaf: leaf)
            leaves.append(leaf)
            entries.append(.init(record: record, leafHash: AuditHashing.hex(leaf), chainHash: AuditHashing.hex(chain)))
            if sequence % every == 0 || sequence == count {
                notes.append(try key.sign(body: Checkpoint(origin: origin, size: UInt64(sequence), rootHash: MerkleTree.root(of: leaves)).body))
            }
        }
        return AuditExport(origin: origin, verifierKey: key.verifierKey, size: Int64(count), headChainHash: AuditHashing.hex(chain),
                           entries: entries, checkpoints: notes)
    }

    @Test("two altered records are both reported, in order, and the rest still verify")
    func reportsEveryAlteredRecord() throws {
        var export = try Self.export(count: 20)
        #expect(AuditLogVerifier.verify(export).valid)
        export.entries[4].record.target = "nothing to see"     // record 5
        export.entries[15].record.details["n"] = "forged"      // record 16
        let report = AuditLogVerifier.verify(export)
        #expect(!report.valid)
        #expect(report.problems.map(\.sequence) == [5, 16], "\(report.problems)")
        #expect(report.firstBadSequence == 5)
        #expect(report.problems.allSatisfy { $0.message.contains("altered") })
        #expect(report.entries == 18)
        // The stored leaf hashes were not touched, so every checkpoint still verifies.
        #expect(report.checkpointsVerified == export.checkpoints.count)
        #expect(report.latestCheckpoint?.size == 20)
    }

    @Test("a missing record, a broken link and a bad checkpoint are all reported")
    func reportsEveryKindOfProblem() throws {
        var export = try Self.export(count: 12)
        export.entries.remove(at: 2)                              // record 3 missing
        export.entries[7].chainHash = String(repeating: "0", count: 64)   // record 9's link
        export.checkpoints[2] = String(export.checkpoints[2].dropLast(10)) + "AAAAAAAAA\n"  // size 12's signature
        let report = AuditLogVerifier.verify(export)
        let messages = report.problems.map(\.message)
        #expect(messages.contains { $0.contains("record 3 is missing") }, "\(messages)")
        #expect(messages.contains { $0.contains("record 9 breaks the hash chain") }, "\(messages)")
        #expect(messages.contains { $0.contains("checkpoint signature invalid") }, "\(messages)")
        #expect(report.firstBadSequence == 3)
    }

    @Test("a forged sequence number far past the end is reported, not padded (no unbounded allocation in appctl)",
          arguments: [Int64.max, Int64.max / 2, 50_000_000])
    func forgedSequenceGapIsReported(sequence: Int64) throws {
        var export = try Self.export(count: 6)
        export.entries[3].record.sequence = sequence
        let report = AuditLogVerifier.verify(export)
        #expect(!report.valid)
        #expect(report.problems.contains { $0.message.contains("malformed") }, "\(report.problems)")
    }

    @Test("the canonical record escapes what storage cannot hold or a terminal should not see, and is stable")
    func canonicalRecord() {
        let hostile = AuditRecord(
            sequence: 1, id: "id", time: "2026-01-01T00:00:00Z", tenant: "t\u{0}", project: "p\u{2028}", actor: "a\u{1B}[2J",
            action: "apps.instance.refuse", target: "app/P/x\u{0}y@latest", outcome: .denied, requestId: "r\u{85}",
            details: ["message": "free \u{1B} text \u{2028} with \u{FEFF} and \u{0} NUL", "k\u{0}": "v"])
        let canonical = AuditHashing.canonical(hostile)
        #expect(canonical.target == "app/P/x\\u{0}y@latest")
        #expect(canonical.tenant == "t\\u{0}" && canonical.project == "p\\u{2028}" && canonical.actor == "a\\u{1B}[2J")
        #expect(canonical.requestId == "r\\u{85}")
        // Free text keeps everything but NUL.
        #expect(canonical.details["message"] == "free \u{1B} text \u{2028} with \u{FEFF} and \\u{0} NUL")
        #expect(canonical.details["k\\u{0}"] == "v")
        #expect(AuditHashing.canonical(canonical) == canonical)
        let fields = [canonical.tenant, canonical.project, canonical.actor, canonical.target, canonical.requestId].compactMap { $0 }
            + canonical.details.keys + canonical.details.values
        #expect(!fields.contains { $0.unicodeScalars.contains("\u{0}") })
        // A record that follows the policy is its own canonical form (old logs still verify).
        let plain = AuditRecord(sequence: 1, id: "id", time: "t", tenant: nil, project: nil, actor: "a", action: "b", target: "c",
                                outcome: .success, requestId: nil, details: ["x": "y\nz"])
        #expect(AuditHashing.canonical(plain) == plain)
        #expect(AuditHashing.leafHash(AuditHashing.canonical(plain)) == AuditHashing.leafHash(plain))
    }
}
