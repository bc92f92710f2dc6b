import Foundation
import ManifestKit
import PlatformContracts
import RegistryService
import Testing

/// evidence-types.yaml v2: every type the releases need, each with a schema that requires
/// what the registry says it requires; a broken entry stops the server at load.
@Suite("Evidence-type registry")
struct EvidenceTypeRegistryTests {
    @Test("the shipped registry loads every release evidence type with its owner, retention, schema and platform-made flag")
    func shippedRegistryHasEveryReleaseType() throws {
        let set = try RegistrySet.load(RegistryFiles(directory: EvidenceFixtures.registryDirectory))
        #expect(set.versions["evidence-type"] == 2)
        let byId = Dictionary(uniqueKeysWithValues: set.evidenceTypes.map { ($0.evidenceId, $0) })
        for field in ReleaseField.allCases {
            let type = try #require(byId[field.evidenceType], "\(field.rawValue) → \(field.evidenceType)")
            #expect(set.evidenceSchemas[type.evidenceId] != nil)
            #expect(!type.owner.isEmpty && ["release", "audit", "short"].contains(type.retentionClass))
        }
        for id in ["slsa-provenance", "ready-within", "vulnerability-scan"] { #expect(byId[id] != nil) }
        let platformMade = Set(set.evidenceTypes.filter(\.platformMade).map(\.evidenceId))
        #expect(platformMade == ["release-candidate", "contract-drift", "migration-status", "capacity-posture", "approval", "deploy-smoke"])
        #expect(byId["vulnerability-scan"]?.requiredFields == ["findings"])
        #expect(byId["uat-result"]?.releaseBlocking == true && byId["slsa-provenance"]?.releaseBlocking == false)
        for type in set.evidenceTypes {
            let schema = try #require(set.evidenceSchemas[type.evidenceId])
            #expect(Set(type.requiredFields).isSubset(of: Set(schema.requiredKeys)), "\(type.evidenceId)")
            #expect(set.evidencePredicates[type.evidenceId] == type.predicateType)
        }
        #expect(set.evidenceSchemas["security-scan"]?.definitionNames == ["cyclonedx-vex", "sarif-2.1"])
    }

    @Test("required_fields the schema does not require, a missing schema file, an unknown owner and an unknown retention class are refused at load")
    func brokenEntriesAreRefused() throws {
        let cases: [(String, (String) -> String)] = [
            ("required_fields", { $0.replacingOccurrences(of: "required_fields: [class, statement]", with: "required_fields: [class, statement, mitigation]") }),
            ("cannot read its schema", { $0.replacingOccurrences(of: "evidence-schemas/rollback-plan.schema.json", with: "evidence-schemas/missing.schema.json") }),
            ("unknown product", { $0.replacingOccurrences(of: "  - evidence_id: pipeline-links\n    product_id: release", with: "  - evidence_id: pipeline-links\n    product_id: ci") }),
            ("retention_class", { $0.replacingOccurrences(of: "retention_class: short", with: "retention_class: forever") }),
            ("inside the registry folder", { $0.replacingOccurrences(of: "evidence-schemas/approval.schema.json", with: "../schema/app-manifest.v1.schema.json") }),
            ("version 2 is required", { $0.replacingOccurrences(of: "version: 2", with: "version: 1") }),
        ]
        for (expected, edit) in cases {
            let result = try EvidenceFixtures.withRegistryCopy { folder in
                let file = folder.appendingPathComponent("evidence-types.yaml")
                let text = try String(contentsOf: file, encoding: .utf8)
                let edited = edit(text)
                #expect(edited != text, "the edit for \(expected) changed nothing")
                try edited.write(to: file, atomically: true, encoding: .utf8)
            }
            guard case .failure(let error) = result else {
                Issue.record("\(expected): the broken registry loaded")
                continue
            }
            #expect(error.code == .configInvalid && error.message.contains(expected), "\(expected): \(error.message)")
        }
    }

    @Test("a schema that uses a keyword the validator does not enforce is refused at load")
    func schemaWithUnsupportedKeywordIsRefused() throws {
        let result = try EvidenceFixtures.withRegistryCopy { folder in
            let file = folder.appendingPathComponent("evidence-schemas/residual-risk.schema.json")
            var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
            object["oneOf"] = [["required": ["class"]]]
            try JSONSerialization.data(withJSONObject: object).write(to: file)
        }
        guard case .failure(let error) = result else { Issue.record("loaded"); return }
        #expect(error.code == .configInvalid && error.message.contains("oneOf"), "\(error.message)")
    }
}
