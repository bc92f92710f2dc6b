import Foundation
import PlatformAPI
import Testing

/// The stateful schemathesis phase (scripts/schemathesis/run.sh) follows the document's links;
/// a link naming a parameter its target does not take, or a response field the source does
/// not return, would silently stop it.
@Suite("OpenAPI links")
struct OpenAPILinksTests {
    @Test func everyLinkNamesExactlyItsTargetsPathParameters() {
        for (source, links) in OpenAPIDocument.links {
            for link in links {
                #expect(Set(link.parameters.keys) == Set(link.target.endpoint.path.parameters), "\(source) → \(link.target)")
            }
        }
        #expect(OpenAPIDocument.links.values.reduce(0) { $0 + $1.count } >= 30)
    }

    @Test func everyLinkReadsAFieldTheSourceResponseHas() throws {
        var catalog = JSONSchemaCatalog()
        for (source, links) in OpenAPIDocument.links {
            let response = try #require(source.endpoint.responseBody, "\(source) links from a response without a body")
            let schema = try catalog.schema(for: response)
            for link in links {
                for field in link.parameters.values {
                    var current = schema
                    for segment in field.path {
                        let resolved = current.referenceName.flatMap { catalog.components[$0] } ?? current
                        let next = resolved.properties[segment]
                        #expect(next != nil, "\(source) → \(link.target): \(field.expression) is not in the response")
                        current = next ?? .any
                    }
                }
            }
        }
    }

    @Test func linksAppearInTheDocumentUnderTheSourcesSuccessResponse() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: OpenAPIDocument.json()) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
        let launch = try #require(paths[Endpoints.launchInstance.path.description]?["post"])
        let created = try #require((launch["responses"] as? [String: [String: Any]])?["201"])
        let links = try #require(created["links"] as? [String: [String: Any]])
        #expect(links["getInstance"]?["parameters"] as? [String: String]
                == ["project": "$response.body#/projectId", "instance": "$response.body#/id"])
    }
}
