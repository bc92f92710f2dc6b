import Foundation

/// What `appctl contract check` found: the record a release-evidence bundle keeps (which
/// source, when, each artifact's committed and regenerated digest, pass or fail).
struct ContractReport: Encodable, Sendable {
    /// One contract artifact's outcome.
    enum Status: String, Encodable, Sendable {
        /// Committed and regenerated agree.
        case pass
        /// They differ (or regeneration failed).
        case fail
        /// Not checked on this machine (`--skip-python`): not evidence of a pass.
        case skipped
    }

    /// The overall outcome. `incomplete` when nothing failed but something was skipped, so a
    /// bundle never records a skipped check as a pass.
    enum Result: String, Encodable, Sendable {
        case pass, fail, incomplete
    }

    /// One artifact.
    struct Artifact: Encodable, Sendable {
        /// `openapi`, `asyncapi`, `sdk-python`, `sdk-swift`.
        var name: String
        /// Its path (or paths) in the checkout.
        var path: String
        /// `sha256:<hex>` of what is committed; `nil` when it is missing.
        var committedDigest: String?
        /// `sha256:<hex>` of what its sources generate now; `nil` when not generated.
        var generatedDigest: String?
        var status: Status
        /// Why it failed or was skipped, or how it was checked.
        var detail: String

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(path, forKey: .path)
            try container.encode(committedDigest, forKey: .committedDigest)
            try container.encode(generatedDigest, forKey: .generatedDigest)
            try container.encode(status, forKey: .status)
            try container.encode(detail, forKey: .detail)
        }

        enum CodingKeys: String, CodingKey { case name, path, committedDigest, generatedDigest, status, detail }
    }

    /// `git rev-parse HEAD` of the checked tree; `nil` outside a git checkout.
    var sourceSha: String?
    /// Whether the working tree differs from HEAD (`git status --porcelain` prints anything);
    /// `nil` outside a git checkout.
    var dirty: Bool?
    /// RFC 3339, UTC.
    var checkedAt: String
    var artifacts: [Artifact]

    var result: Result {
        if artifacts.contains(where: { $0.status == .fail }) { return .fail }
        return artifacts.contains(where: { $0.status == .skipped }) ? .incomplete : .pass
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sourceSha, forKey: .sourceSha)
        try container.encode(dirty, forKey: .dirty)
        try container.encode(checkedAt, forKey: .checkedAt)
        try container.encode(artifacts, forKey: .artifacts)
        try container.encode(result, forKey: .result)
    }

    enum CodingKeys: String, CodingKey { case sourceSha, dirty, checkedAt, artifacts, result }

    /// The JSON form (sorted keys, one line per key: diff-friendly in an evidence bundle).
    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The human table: one row per artifact, short digests, then the overall line.
    func table() -> String {
        func short(_ digest: String?) -> String { digest.map { String($0.prefix(19)) } ?? "-" }
        let rows = artifacts.map { [$0.name, $0.status.rawValue.uppercased(), short($0.committedDigest), short($0.generatedDigest), $0.detail] }
        let source = sourceSha.map { "\($0.prefix(12))\(dirty == true ? " (dirty)" : "")" } ?? "not a git checkout"
        return TextTable(headers: ["ARTIFACT", "STATUS", "COMMITTED", "GENERATED", "DETAIL"], rows: rows).render()
            + "\n\nsource \(source), checked \(checkedAt): \(result.rawValue)"
    }
}
