import Foundation
import PlatformContracts

/// An in-toto Statement v1 whose predicate is kept as raw JSON.
public struct InTotoStatement: Sendable {
    /// `https://in-toto.io/Statement/v1`.
    public static let type = "https://in-toto.io/Statement/v1"
    /// SLSA provenance v1.
    public static let slsaProvenance = "https://slsa.dev/provenance/v1"

    /// One subject.
    public struct Subject: Codable, Sendable, Equatable {
        /// A name (the repository).
        public var name: String
        /// `{"sha256": hex}`.
        public var digest: [String: String]
    }

    /// What the statement is about.
    public var subjects: [Subject]
    /// The predicate's type.
    public var predicateType: String
    /// The predicate, as JSON.
    public var predicate: Data

    /// Creates a statement about one digest.
    public init(subject name: String, digest: ContentDigest, predicateType: String, predicate: Data) {
        self.subjects = [Subject(name: name, digest: [digest.algorithm: digest.hex])]
        self.predicateType = predicateType
        self.predicate = predicate
    }

    /// Whether one subject names `digest`.
    public func isAbout(_ digest: ContentDigest) -> Bool {
        subjects.contains { $0.digest[digest.algorithm] == digest.hex }
    }

    /// Canonical-enough JSON (sorted keys): what gets signed.
    public func encoded() throws -> Data {
        let predicateObject = try JSONSerialization.jsonObject(with: predicate, options: [.fragmentsAllowed])
        let object: [String: Any] = [
            "_type": Self.type,
            "subject": subjects.map { ["name": $0.name, "digest": $0.digest] },
            "predicateType": predicateType,
            "predicate": predicateObject,
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    /// Parses a statement.
    /// - Throws: ``ErrorCode/artifactSignatureMalformed``.
    public static func parse(_ bytes: Data) throws(PlatformError) -> InTotoStatement {
        guard let object = try? JSONSerialization.jsonObject(with: bytes) as? [String: Any],
              object["_type"] as? String == type,
              let subjectList = object["subject"] as? [[String: Any]], !subjectList.isEmpty,
              let predicateType = object["predicateType"] as? String
        else { throw PlatformError(.artifactSignatureMalformed, "the payload is not an in-toto Statement v1") }
        let subjects = subjectList.compactMap { entry -> Subject? in
            guard let name = entry["name"] as? String, let digest = entry["digest"] as? [String: String] else { return nil }
            return Subject(name: name, digest: digest)
        }
        // Subjects that are not {name, digest} are dropped; a statement about nothing is not one.
        guard !subjects.isEmpty else { throw PlatformError(.artifactSignatureMalformed, "the in-toto Statement names no valid subject") }
        let predicate = (object["predicate"]).flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys, .fragmentsAllowed]) } ?? Data("{}".utf8)
        var statement = InTotoStatement(subject: "", digest: ContentDigest(sha256Bytes: [UInt8](repeating: 0, count: 32)),
                                        predicateType: predicateType, predicate: predicate)
        statement.subjects = subjects
        return statement
    }

    /// A SLSA provenance v1 predicate naming the source repository and commit.
    public static func provenance(sourceRepository: String, commit: String, builder: String) throws -> Data {
        let object: [String: Any] = [
            "buildDefinition": [
                "buildType": "https://platform.local/appctl/artifact-sign/v1",
                "externalParameters": ["source": ["repository": sourceRepository, "commit": commit]],
                "resolvedDependencies": [["uri": "git+\(sourceRepository)", "digest": ["gitCommit": commit]]],
            ],
            "runDetails": ["builder": ["id": builder]],
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    /// The source repository and commit of a SLSA provenance predicate, if it names them.
    public var provenanceSource: (repository: String, commit: String)? {
        guard predicateType == Self.slsaProvenance,
              let object = try? JSONSerialization.jsonObject(with: predicate) as? [String: Any],
              let definition = object["buildDefinition"] as? [String: Any],
              let external = definition["externalParameters"] as? [String: Any],
              let source = external["source"] as? [String: Any],
              let repository = source["repository"] as? String, let commit = source["commit"] as? String
        else { return nil }
        return (repository, commit)
    }
}
