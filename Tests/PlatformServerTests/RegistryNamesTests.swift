import ArtifactRegistry
import Foundation
import HTTPTypes
import OCIKit
import PlatformContracts
import Testing

/// Names people can type (issue 17.6): a repository is `<tenant>/<project>/<name>` by
/// names or `<project-id>/<name>` by id, and both forms are one repository.
@Suite("Registry names: tenant/project names and project ids address one repository")
struct RegistryNamesTests {
    @Test func repositoryReferenceTellsTheFormsApartByTheFirstComponent() throws {
        let id = ULID().description
        #expect(try RepositoryReference("\(id.lowercased())/app/web") == .projectID(id, path: "app/web"))
        #expect(try RepositoryReference("\(id)/app") == .projectID(id, path: "app"), "the uppercase id appctl prints")
        #expect(try RepositoryReference("acme/ml/app") == .named(tenant: "acme", project: "ml", path: "app"))
        #expect(try RepositoryReference("acme/ml/team/app").project == "acme/ml")
        #expect(try RepositoryName("\(id)/app").name == "\(id.lowercased())/app", "one identity: the id form in lowercase")
        for bad in ["acme/app", "\(id.lowercased())", "Acme/ml/app", "acme/ml/App", "acme//app", "acme/ml-/app", "\(id)/App"] {
            #expect(throws: PlatformError.self, "\(bad)") { try RepositoryReference(bad) }
        }
        #expect(throws: PlatformError.self, "the platform's own lookups take the id form only") { try RepositoryName("acme/ml/app") }
    }

    @Test func nameAndIDFormsAreOneRepositoryForTagsManifestsReferrersAndTheLedger() async throws {
        try await withRegistry(.sqlite) { fixture in
            let named = fixture.with(repository: "acme/p1/app")
            let (descriptor, _) = try await named.pushImage(tag: "v1")
            let upper = fixture.with(repository: "\(fixture.project.id)/app")
            for form in [fixture, upper] {
                let manifest = try await form.call(.get, "manifests/v1", headers: ["Accept": MediaType.imageManifest])
                #expect(manifest.status == .ok && manifest.header("Docker-Content-Digest") == descriptor.digest.description)
                let tags = try await form.call(.get, "tags/list")
                #expect(String(decoding: tags.body, as: UTF8.self).contains(#""tags":["v1"]"#), "\(String(decoding: tags.body, as: UTF8.self))")
            }
            // A referrer pushed by id is found by name.
            let config = try await fixture.pushBlob(Data("{}".utf8), mediaType: "application/vnd.oci.empty.v1+json")
            let referrer = try JSONEncoder().encode(ManifestDocument(artifactType: "application/vnd.example.sbom.v1+json", config: config,
                                                                     layers: [config], subject: descriptor))
            let put = try await fixture.call(.put, "manifests/\(RegistryFixture.digest(referrer))", body: referrer,
                                             headers: ["Content-Type": MediaType.imageManifest])
            #expect(put.status == .created, "\(String(decoding: put.body, as: UTF8.self))")
            let referrers = try await named.call(.get, "referrers/\(descriptor.digest)")
            #expect(String(decoding: referrers.body, as: UTF8.self).contains(RegistryFixture.digest(referrer).description))
            // The ledger and the API know one repository, shown in its id form, whichever way the project is named.
            for project in [fixture.project.id, "acme%2Fp1", fixture.project.id.lowercased()] {
                let listed = try await fixture.iam.ok(.get, "/v1/projects/\(project)/artifacts", key: fixture.key, as: [ArtifactSummary].self)
                #expect(Set(listed.map(\.repository)) == [fixture.repository], "\(project): \(listed)")
            }
        }
    }

    @Test func aTokenAskedForByNameServesTheIDFormAndTheReverse() async throws {
        try await withRegistry(.sqlite) { fixture in
            _ = try await fixture.pushImage(tag: "v1")
            let byName = try await EdgeHardeningTests.token(fixture, scope: "repository:acme/p1/app:pull").token
            #expect(try await EdgeHardeningTests.bearer(fixture, byName, .get, "/v2/\(fixture.repository)/manifests/v1").0 == .ok)
            #expect(try await EdgeHardeningTests.bearer(fixture, byName, .get, "/v2/acme/p1/app/manifests/v1").0 == .ok)
            let byID = try await EdgeHardeningTests.token(fixture, scope: "repository:\(fixture.repository):pull").token
            #expect(try await EdgeHardeningTests.bearer(fixture, byID, .get, "/v2/acme/p1/app/tags/list").0 == .ok)
            let push = try await EdgeHardeningTests.bearer(fixture, byName, .post, "/v2/acme/p1/app/blobs/uploads/")
            #expect(push.0 == .forbidden && push.1?.contains(#"scope="repository:acme/p1/app:pull,push""#) == true,
                    "the challenge names the repository the way the client did")
            #expect(try await EdgeHardeningTests.bearer(fixture, byName, .get, "/v2/acme/p1/other/tags/list").0 == .forbidden,
                    "a token for one repository does not cover its sibling")
        }
    }

    @Test func aNameOutOfReachReadsExactlyLikeAMissingOne() async throws {
        try await withIAMServer(.sqlite) { iam in
            let fixture = try await RegistryFixture.make(iam)
            let other = try await RegistryFixture.make(iam, tenant: "globex", project: "secret")
            _ = try await other.pushImage(tag: "v1")
            var answers: [String] = []
            for name in ["globex/secret/app", "globex/missing/app", "nosuch/secret/app", other.repository] {
                let reply = try await fixture.with(repository: name).call(.get, "tags/list")
                #expect(reply.status == .notFound && reply.ociCode == "NAME_UNKNOWN", "\(name): \(reply.status)")
                answers.append(reply.errors.first?.message.replacingOccurrences(of: name, with: "NAME") ?? "")
                let token = try await EdgeHardeningTests.token(fixture, scope: "repository:\(name):pull").token
                #expect(try await EdgeHardeningTests.bearer(fixture, token, .get, "/v2/\(name)/tags/list").0 == .notFound)
            }
            #expect(Set(answers).count == 1, "one answer for out-of-reach and missing: \(answers)")
            let project = try await iam.call(.get, "/v1/projects/globex%2Fsecret/artifacts", key: fixture.key)
            let missing = try await iam.call(.get, "/v1/projects/globex%2Fmissing/artifacts", key: fixture.key)
            #expect(project.status == .notFound && project.errorCode == missing.errorCode && missing.status == .notFound)
        }
    }

    @Test func projectReferencesTakeTenantSlashProjectNamesAndIDsInAnyCase() async throws {
        try await withIAMServer(.sqlite) { iam in
            let (_, project, _, _) = try await iam.makeProject(tenant: "acme", project: "ml", account: "ci")
            for reference in ["acme%2Fml", "acme%2fml", project.id, project.id.lowercased()] {
                let accounts = try await iam.call(.get, "/v1/projects/\(reference)/serviceaccounts", key: iam.adminKey)
                #expect(accounts.status == .ok, "\(reference): \(String(decoding: accounts.body, as: UTF8.self))")
            }
            // Decoded once, by the router: a twice-encoded slash is not a name.
            for reference in ["acme%2Fnope", "nope%2Fml", "ml", "acme%2Fml%2Fx", "acme%252Fml"] {
                #expect(try await iam.call(.get, "/v1/projects/\(reference)/serviceaccounts", key: iam.adminKey).status == .notFound, "\(reference)")
            }
        }
    }

    @Test func namesThatCouldReadAsAnIDOrBreakARepositoryNameAreRefused() async throws {
        try await withIAMServer(.sqlite) { iam in
            for name in [ULID().description.lowercased(), "acme-", "-acme", "Acme"] {
                let reply = try await iam.call(.post, "/v1/tenants", key: iam.adminKey, body: ["name": name])
                #expect(reply.status == .badRequest, "\(name): \(reply.status)")
            }
        }
    }
}

extension RegistryFixture {
    /// The same caller and project, addressing the repository by another name.
    func with(repository name: String) -> RegistryFixture { RegistryFixture(iam: iam, key: key, repository: name, project: project) }
}
