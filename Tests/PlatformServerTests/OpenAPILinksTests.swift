import Foundation
import PlatformHTTP
import Testing

/// The stateful schemathesis phase (scripts/schemathesis/run.sh) follows the document's links;
/// a link to a renamed operation or a parameter it does not take would silently stop it.
@Suite("OpenAPI links")
struct OpenAPILinksTests {
    @Test func everyLinkTargetsADocumentedOperationAndNamesOnlyItsPathParameters() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: OpenAPIDocument.json()) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
        var parameters: [String: Set<String>] = [:]
        for (_, methods) in paths {
            for (_, operation) in methods {
                guard let id = operation["operationId"] as? String else { continue }
                let names = (operation["parameters"] as? [[String: Any]] ?? []).filter { $0["in"] as? String == "path" }
                    .compactMap { $0["name"] as? String }
                parameters[id] = Set(names)
            }
        }
        var links = 0
        for (_, methods) in paths {
            for (_, operation) in methods {
                for (_, response) in operation["responses"] as? [String: [String: Any]] ?? [:] {
                    for (_, link) in response["links"] as? [String: [String: Any]] ?? [:] {
                        let target = try #require(link["operationId"] as? String)
                        let expected = try #require(parameters[target], "link to unknown operation \(target)")
                        let given = Set((link["parameters"] as? [String: String] ?? [:]).keys)
                        #expect(given == expected, "link to \(target) sets \(given.sorted()), the operation takes \(expected.sorted())")
                        links += 1
                    }
                }
            }
        }
        #expect(links >= 30)
    }

    @Test func clientSuppliedNumbersAreDocumentedWithTheirBounds() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: OpenAPIDocument.json()) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
        let logs = try #require(paths["/v1/projects/{project}/instances/{instance}/logs"]?["get"])
        let offset = try #require((logs["parameters"] as? [[String: Any]])?.first { $0["name"] as? String == "offset" })
        #expect((offset["schema"] as? [String: Any])?["minimum"] as? Int == 0)
        let records = try #require(paths["/v1/audit/records"]?["get"])
        let names = Set((records["parameters"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
        #expect(names.isSuperset(of: ["action", "since", "after", "limit"]))
    }
}
