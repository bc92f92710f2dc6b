import PlatformAPI
import Testing

@Suite("The typed endpoint table")
struct EndpointTableTests {
    @Test("each operation's endpoint names that operation (a copy-pasted definition would not)")
    func operationsMatch() {
        for operation in Operation.allCases {
            #expect(operation.endpoint.operation == operation, "\(operation) points at \(operation.endpoint.operation)")
        }
    }

    @Test("each endpoint's path type carries exactly its template's parameters")
    func pathTypesMatchTemplates() {
        for endpoint in Endpoints.all {
            #expect(endpoint.pathType.parameters == endpoint.path.parameters, "\(endpoint.signature)")
        }
    }

    @Test("no two endpoints share a method and path")
    func signaturesUnique() {
        let signatures = Endpoints.all.map(\.signature)
        #expect(Set(signatures).count == signatures.count)
    }

    @Test("the client's path escapes each value into one segment")
    func pathRendering() {
        let path = Endpoints.getInstance.path(.init(project: "acme/ml", "01J/../x"))
        #expect(path == "/v1/projects/acme%2Fml/instances/01J%2F..%2Fx")
        #expect(Endpoints.getInstance.path.routerPattern == "/v1/projects/:project/instances/:instance")
        #expect(Endpoints.getInstance.path.description == "/v1/projects/{project}/instances/{instance}")
    }
}
