import Foundation
import PlatformAPI
import PlatformContracts
import Testing

/// Types whose schemas the tests know by heart.
struct Sample: Decodable {
    var name: String
    var count: Int32
    var total: Int64
    var ratio: Double
    var enabled: Bool
    var note: String?
    var tags: [String]
    var limits: [String: Int]
    var state: TrustState
    var child: Child?

    struct Child: Decodable {
        var digest: String
    }
}

/// Reads its keys by hand: `x` required, `y` optional, `z` through a nested container.
struct HandDecoded: Decodable {
    var x: String
    var y: Int?
    var z: Bool

    enum CodingKeys: String, CodingKey { case x, y, nested }
    enum NestedKeys: String, CodingKey { case z }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        x = try container.decode(String.self, forKey: .x)
        y = try container.decodeIfPresent(Int.self, forKey: .y)
        z = try container.nestedContainer(keyedBy: NestedKeys.self, forKey: .nested).decode(Bool.self, forKey: .z)
    }
}

/// Refuses the decoder's sample text, the way `Timestamp` would without its description.
struct Strict: Decodable {
    var value: String
    init(from decoder: any Decoder) throws {
        value = try decoder.singleValueContainer().decode(String.self)
        guard value.hasPrefix("v") else { throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not v…")) }
    }
}

struct HoldsStrict: Decodable { var strict: Strict }

/// Contains itself.
final class Tree: Decodable { var children: [Tree] = [] }

/// `CollidingItem` and `Colliding.Item` both want the component name `CollidingItem`.
struct CollidingItem: Decodable { var a: Int }
enum Colliding { struct Item: Decodable { var b: String } }

@Suite("JSON Schema derived from Decodable types")
struct SchemaDerivationTests {
    @Test("decode is required, decodeIfPresent optional and nullable; primitives keep their width")
    func requiredOptionalAndPrimitives() throws {
        var catalog = JSONSchemaCatalog()
        let reference = try catalog.schema(for: Sample.self)
        #expect(reference.referenceName == "Sample")
        let sample = try #require(catalog.components["Sample"])
        #expect(sample.required == ["count", "enabled", "limits", "name", "ratio", "state", "tags", "total"])
        #expect(sample.properties["note"] == JSONSchema.string.orNull)
        #expect(sample.properties["name"] == .string)
        #expect(sample.properties["count"] == JSONSchema(.integer(format: "int32")))
        #expect(sample.properties["total"] == JSONSchema(.integer(format: "int64")))
        #expect(sample.properties["ratio"] == JSONSchema(.number(format: "double")))
        #expect(sample.properties["enabled"] == JSONSchema(.boolean))
    }

    @Test("arrays give items, string-keyed dictionaries additionalProperties")
    func arraysAndDictionaries() throws {
        var catalog = JSONSchemaCatalog()
        _ = try catalog.schema(for: Sample.self)
        let sample = try #require(catalog.components["Sample"])
        #expect(sample.properties["tags"] == JSONSchema(.array(.string)))
        #expect(sample.properties["limits"] == JSONSchema(.object(properties: [:], required: [], additionalProperties: JSONSchema(.integer(format: "int64")))))
        #expect(try catalog.schema(for: [Int32].self) == JSONSchema(.array(JSONSchema(.integer(format: "int32")))))
    }

    @Test("a CaseIterable string enum is a component listing its raw values")
    func enumsAreComponents() throws {
        var catalog = JSONSchemaCatalog()
        _ = try catalog.schema(for: Sample.self)
        #expect(catalog.components["Sample"]?.properties["state"] == JSONSchema(.reference("TrustState")))
        #expect(catalog.components["TrustState"] == JSONSchema(.string(values: TrustState.allCases.map(\.rawValue))))
    }

    @Test("a nested struct is a $ref to a component named after its full type name")
    func nestedStructsAreReferences() throws {
        var catalog = JSONSchemaCatalog()
        _ = try catalog.schema(for: Sample.self)
        #expect(catalog.components["Sample"]?.properties["child"] == JSONSchema(.reference("SampleChild")).orNull)
        #expect(catalog.components["SampleChild"]?.required == ["digest"])
        _ = try catalog.schema(for: InstanceUsage.self)
        #expect(catalog.components["InstanceUsage"]?.properties["totals"] == JSONSchema(.array(JSONSchema(.reference("InstanceUsageTotal")))))
        #expect(catalog.components["InstanceUsage"]?.properties["recordedThrough"] == JSONSchema(.string(format: "date-time")).orNull)
    }

    @Test("a hand-written init(from:) is read as written, nested containers included")
    func customInitIsReflected() throws {
        var catalog = JSONSchemaCatalog()
        _ = try catalog.schema(for: HandDecoded.self)
        let schema = try #require(catalog.components["HandDecoded"])
        #expect(schema.required == ["nested", "x"])
        #expect(schema.properties["y"] == JSONSchema(.integer(format: "int64")).orNull)
        #expect(schema.properties["nested"]?.properties["z"] == JSONSchema(.boolean))
        // InstanceRecord decodes its phase as a checked name: the stated vocabulary is used.
        _ = try catalog.schema(for: InstanceRecord.self)
        #expect(catalog.components["InstanceRecord"]?.properties["phase"] == JSONSchema(.reference("InstancePhase")))
        #expect(catalog.components["InstancePhase"] == JSONSchema(.string(values: InstancePhase.names)))
        #expect(catalog.components["InstanceRecord"]?.properties["reason"] == JSONSchema(.reference("FailureReason")).orNull)
        #expect(catalog.components["FailureReason"] == JSONSchema(.string(values: FailureReason.allCases.map(\.rawValue))))
    }

    @Test("a validation the samples fail, a recursive type and a name collision are reported, not guessed")
    func failuresAreReported() {
        var catalog = JSONSchemaCatalog()
        #expect(throws: SchemaDerivationError.self) { try catalog.schema(for: HoldsStrict.self) }
        #expect(throws: SchemaDerivationError.self) { try catalog.schema(for: Tree.self) }
        #expect(throws: Never.self) { try catalog.schema(for: CollidingItem.self) }
        do {
            _ = try catalog.schema(for: Colliding.Item.self)
            Issue.record("Colliding.Item took CollidingItem's component name")
        } catch {
            #expect(error.kind == .nameCollision)
        }
    }

    @Test("every /v1 body and response type derives, and its encoded keys are all documented")
    func everyEndpointTypeDerives() throws {
        var catalog = JSONSchemaCatalog()
        for endpoint in Endpoints.all {
            for type in [endpoint.requestBody, endpoint.responseBody].compactMap({ $0 }) {
                #expect(throws: Never.self, "\(endpoint.operation)") { _ = try catalog.schema(for: type) }
            }
        }
        // What the server encodes is documented: every encoded key is a property of the derived
        // schema (InstanceRecord's hand-written coding included: phase and reason travel apart).
        let usage = try #require(catalog.components["InstanceUsage"])
        let encodedUsage = try JSONEncoder().encode(InstanceUsage(
            instance: "i", project: "p", totals: [.init(unit: "gpu-second", quantity: 1, intervals: 1)],
            recordedThrough: Timestamp(millisecondsSinceEpoch: 1)))
        let usageKeys = Set(try #require(try JSONSerialization.jsonObject(with: encodedUsage) as? [String: Any]).keys)
        #expect(usageKeys.isSubset(of: Set(usage.properties.keys)) && usageKeys.count == 4)
        let record = try #require(catalog.components["InstanceRecord"])
        let encodedRecord = try JSONEncoder().encode(InstanceRecord(
            id: "i", projectId: "p", app: "a", version: "1", adapter: "local", environment: "dev", mode: .service,
            phase: .failed(.lost), message: "m", image: "img", node: "n", gpus: [0], gpuCount: 1,
            endpoints: [.init(name: "http", port: 80, url: "u")], launchedBy: "me", createdAt: "t", updatedAt: "t",
            policySnapshot: "s", trustFlag: "quarantined", restartCount: 2, lastExitCode: 1))
        let recordKeys = Set(try #require(try JSONSerialization.jsonObject(with: encodedRecord) as? [String: Any]).keys)
        #expect(recordKeys == Set(record.properties.keys), "encoded \(recordKeys.sorted()), documented \(record.properties.keys.sorted())")
    }
}
