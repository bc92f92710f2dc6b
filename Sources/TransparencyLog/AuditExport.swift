import Crypto
import Foundation
import PlatformContracts

/// The canonical encodings and hash chain shared by the writer (server) and the offline
/// verifier (`appctl audit verify`), so both compute the same bytes.
public enum AuditHashing {
    /// The chain hash before the first record: 32 zero bytes.
    public static let genesis = [UInt8](repeating: 0, count: 32)

    /// The canonical form of a record, which is what the writer stores and hashes: every
    /// identifier field (tenant, project, actor, action, target, request id, detail names)
    /// with ``TextPolicy/escapedIdentifier(_:)`` applied, every detail value with
    /// ``TextPolicy/escapedFreeText(_:)``. So a refused request whose target holds NUL, ESC
    /// or U+2028 is recorded visibly escaped, and what is hashed is exactly what both
    /// backends read back. Identity for records that already follow the policy.
    public static func canonical(_ record: AuditRecord) -> AuditRecord {
        var result = record
        result.tenant = record.tenant.map(TextPolicy.escapedIdentifier)
        result.project = record.project.map(TextPolicy.escapedIdentifier)
        result.actor = TextPolicy.escapedIdentifier(record.actor)
        result.action = TextPolicy.escapedIdentifier(record.action)
        result.target = TextPolicy.escapedIdentifier(record.target)
        result.requestId = record.requestId.map(TextPolicy.escapedIdentifier)
        result.details = Dictionary(
            record.details.map { (TextPolicy.escapedIdentifier($0.key), TextPolicy.escapedFreeText($0.value)) },
            uniquingKeysWith: { first, _ in first })
        return result
    }

    /// Canonical JSON: sorted keys, no whitespace, slashes unescaped.
    public static func canonicalJSON(_ record: AuditRecord) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // AuditRecord has only strings, integers and a string map: encoding cannot fail.
        return Array((try? encoder.encode(record)) ?? Data())
    }

    /// `SHA256(0x00 || canonical JSON)`.
    public static func leafHash(_ record: AuditRecord) -> [UInt8] {
        MerkleTree.leafHash(canonicalJSON(record))
    }

    /// `SHA256(previous chain hash || leaf hash)`.
    public static func chainHash(previous: [UInt8], leaf: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: previous + leaf))
    }

    /// Lowercase hex.
    public static func hex(_ bytes: [UInt8]) -> String {
        NoteKey.hex(bytes)
    }
}
