import Crypto
import Foundation
import PlatformContracts

/// One schema module of the running server: the version its database holds against the
/// newest this build knows (what `migration-status` evidence records).
public struct SchemaModuleVersion: Sendable, Hashable {
    public var module: String
    /// Applied in the database (0: never migrated).
    public var applied: Int
    /// The newest version this build knows (0: a module this build does not know).
    public var expected: Int
    public init(module: String, applied: Int, expected: Int) {
        self.module = module
        self.applied = applied
        self.expected = expected
    }
}

/// The predicates of the evidence the platform makes itself (contract drift, migration status,
/// capacity posture), built from what this server knows rather than from what a client says,
/// so that signing them with the platform key means something. Each returns the predicate as
/// JSON bytes in the shape the evidence-type schemas require (camelCase keys).
public enum PlatformMadeEvidence {
    /// `sha256:<hex>` of `bytes`: the digest rule of `appctl contract check` for one file.
    public static func digest(_ bytes: Data) -> String {
        "sha256:" + SHA256.hash(data: bytes).lowercaseHex
    }

    /// A `contract-drift` predicate: the submitted `appctl contract check --json` report,
    /// checked against the OpenAPI and AsyncAPI documents this server derives from its own
    /// endpoints. `pass` only when the report passed and both committed documents it checked
    /// are byte-identical (by digest) to what this server serves; a report that skipped a
    /// check or was made on a dirty tree is `incomplete`, never a pass.
    /// - Throws: ``ErrorCode/releaseInvalid`` for a report that is not one, that names no
    ///   source commit, or that checked a commit other than the release's.
    public static func contractDrift(report text: String, openAPI: Data, asyncAPI: Data, releaseSourceSha: String) throws -> [UInt8] {
        guard let report = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any],
              let artifacts = report["artifacts"] as? [[String: Any]], let reported = report["result"] as? String,
              ["pass", "fail", "incomplete"].contains(reported), let checkedAt = report["checkedAt"] as? String else {
            throw PlatformError(.releaseInvalid,
                                "the contract-drift report is not an `appctl contract check --json` report (artifacts, result, checkedAt)")
        }
        guard let sourceSha = report["sourceSha"] as? String else {
            throw PlatformError(.releaseInvalid, "the contract-drift report names no source commit; run `appctl contract check --json` in a git checkout")
        }
        guard sourceSha.lowercased() == releaseSourceSha.lowercased() else {
            throw PlatformError(.releaseInvalid, "the contract-drift report checked \(sourceSha), but the release is built from \(releaseSourceSha)",
                                details: ["reported": sourceSha, "release": releaseSourceSha])
        }
        let (openAPIDigest, asyncAPIDigest) = (digest(openAPI), digest(asyncAPI))
        func committed(_ name: String) -> String? {
            artifacts.first { $0["name"] as? String == name }?["committedDigest"] as? String
        }
        let matches = committed("openapi") == openAPIDigest && committed("asyncapi") == asyncAPIDigest
        let dirty = report["dirty"] as? Bool ?? false
        let result = !matches || reported == "fail" ? "fail" : reported == "incomplete" || dirty ? "incomplete" : "pass"
        let entries: [[String: Any]] = artifacts.map { artifact in
            // A skipped or missing artifact has no digest: recorded as "" (the schema requires the key).
            ["name": artifact["name"] as? String ?? "", "status": artifact["status"] as? String ?? "fail",
             "digest": artifact["committedDigest"] as? String ?? artifact["generatedDigest"] as? String ?? ""]
        }
        return try json([
            "result": result, "sourceSha": sourceSha, "checkedAt": checkedAt, "artifacts": entries,
            "server": ["openapi": openAPIDigest, "asyncapi": asyncAPIDigest, "matches": matches] as [String: Any],
        ])
    }

    /// A `migration-status` predicate: every module's applied version against the build's.
    /// `behind` when any module has migrations pending, `ahead` when the database holds a
    /// version (or a module) newer than this build knows, else `current`.
    public static func migrationStatus(_ modules: [SchemaModuleVersion]) throws -> [UInt8] {
        let sorted = modules.sorted { $0.module < $1.module }
        let pending = sorted.reduce(0) { $0 + max(0, $1.expected - $1.applied) }
        let ahead = sorted.contains { $0.applied > $0.expected }
        let result = ahead ? "ahead" : pending > 0 ? "behind" : "current"
        return try json([
            "modules": sorted.map { ["module": $0.module, "applied": $0.applied, "expected": $0.expected] as [String: Any] },
            "pending": pending, "result": result,
        ])
    }

    /// The rollout ring a release's environment is: a staging release is the canary, a
    /// production release the broad ring.
    public static func ring(environment: String) -> String { environment == "production" ? "broad" : "canary" }

    /// The GPUs a reserve of `percent` needs free out of `total` (rounded up).
    public static func requiredFree(total: Int, percent: Int) -> Int { (total * max(0, percent) + 99) / 100 }

    /// A `capacity-posture` predicate: GPUs free in the inventory against the policy's reserve.
    public static func capacityPosture(nodes: [NodeUsage], reservePercent: Int, environment: String) throws -> [UInt8] {
        let devices = nodes.flatMap(\.devices)
        let (total, free) = (devices.count, devices.filter { $0.instance == nil }.count)
        let required = requiredFree(total: total, percent: reservePercent)
        return try json([
            "totalGpus": total, "freeGpus": free, "reservePercent": reservePercent, "requiredFree": required,
            "ring": ring(environment: environment), "result": free >= required ? "pass" : "fail",
        ])
    }

    /// Sorted-key JSON bytes of a Foundation object.
    static func json(_ object: [String: Any]) throws -> [UInt8] {
        [UInt8](try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
    }
}
