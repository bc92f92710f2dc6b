import Foundation
import HTTPTypes
import PlatformAPI
import PlatformContracts
import PlatformServer
import Testing

/// `GET /v1/projects/{project}/summary`, the endpoint issue 17 adds to show that an operation
/// is written once (its Endpoint) and bound once (V1Routes); here, what it counts and refuses.
@Suite("Project summary")
struct ProjectSummaryTests {
    @Test("counts apps, versions, instances and artifacts, by id or by tenant/project name", arguments: ServerBackend.enabled)
    func countsWhatTheProjectHolds(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let (tenant, project, _, key) = try await fixture.makeProject(tenant: "acme", project: "ml", account: "dev")
            let hello = try String(contentsOf: AppCatalogTests.checkout.appendingPathComponent("manifests/apps/hello.yaml"), encoding: .utf8)
            _ = try await fixture.ok(.post, "/v1/projects/\(project.id)/apps", key: key.key, body: ["manifest": hello], as: AppVersion.self)
            let second = hello.replacingOccurrences(of: "version: 1.0.0", with: "version: 1.1.0")
            #expect(second != hello, "the fixture manifest's version line moved; update this test")
            _ = try await fixture.ok(.post, "/v1/projects/\(project.id)/apps", key: key.key, body: ["manifest": second], as: AppVersion.self)

            let byID = try await fixture.ok(.get, Endpoints.getProjectSummary.path(.init(project: project.id)), key: key.key,
                                            as: ProjectSummary.self)
            #expect(byID == ProjectSummary(project: project, instances: 0, liveInstances: 0, apps: 1, appVersions: 2, artifacts: 0))
            let byName = try await fixture.ok(.get, Endpoints.getProjectSummary.path(.init(project: "\(tenant.name)/\(project.name)")),
                                              key: key.key, as: ProjectSummary.self)
            #expect(byName == byID)
        }
    }

    @Test("a key that may see the project but not list its apps gets 403 naming the scope, not partial counts")
    func refusesWhatTheCallerCouldNotList() async throws {
        try await withIAMServer(.sqlite) { fixture in
            let (_, project, _, key) = try await fixture.makeProject(
                tenant: "acme", project: "ml", account: "auditor", scopes: ["iam:project:read", "apps:instance:read", "artifacts:repository:pull"])
            let reply = try await fixture.call(.get, Endpoints.getProjectSummary.path(.init(project: project.id)), key: key.key)
            #expect(reply.status == .forbidden && reply.errorCode == "iam.forbidden")
            #expect(String(decoding: reply.body, as: UTF8.self).contains("apps:catalog:read"))
        }
    }
}
