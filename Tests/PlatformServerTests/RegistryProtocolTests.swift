import ArtifactRegistry
import Foundation
import HTTPTypes
import HummingbirdTesting
import OCIKit
import PlatformContracts
import PlatformServer
import PlatformStore
import Testing

@Suite("OCI Distribution API")
struct RegistryProtocolTests {
    @Test("chunked upload with Content-Range, 416 out of order, status, cancel, digest check", arguments: ServerBackend.enabled)
    func chunkedUpload(backend: ServerBackend) async throws {
        try await withRegistry(backend) { registry in
            let bytes = Data((0..<300_000).map { UInt8($0 % 251) })
            let digest = RegistryFixture.digest(bytes)
            let start = try await registry.call(.post, "blobs/uploads/")
            #expect(start.status == .accepted)
            let location = try #require(start.header("Location"))
            #expect(start.header("Docker-Upload-UUID") != nil)

            let first = try await registry.call(.patch, location, body: bytes.prefix(100_000), headers: ["Content-Range": "0-99999"])
            #expect(first.status == .accepted && first.header("Range") == "0-99999")
            let outOfOrder = try await registry.call(.patch, location, body: bytes.suffix(100_000), headers: ["Content-Range": "200000-299999"])
            #expect(outOfOrder.status == .rangeNotSatisfiable && outOfOrder.ociCode == "BLOB_UPLOAD_INVALID")
            #expect(outOfOrder.header("Range") == "0-99999")
            let status = try await registry.call(.get, location)
            #expect(status.status == .noContent && status.header("Range") == "0-99999")
            let second = try await registry.call(.patch, location, body: bytes[100_000..<300_000], headers: ["Content-Range": "100000-299999"])
            #expect(second.status == .accepted && second.header("Range") == "0-299999")
            #expect(try await registry.call(.head, "blobs/\(digest)").status == .notFound)

            let wrong = RegistryFixture.digest(Data("other".utf8))
            let mismatch = try await registry.call(.put, "\(location)?digest=\(wrong)")
            #expect(mismatch.status == .badRequest && mismatch.ociCode == "DIGEST_INVALID")
            #expect(try await registry.call(.head, "blobs/\(wrong)").status == .notFound)
            #expect(try await registry.call(.get, location).ociCode == "BLOB_UPLOAD_UNKNOWN", "a failed commit discards the upload")

            let again = try #require(try await registry.call(.post, "blobs/uploads/").header("Location"))
            #expect(try await registry.call(.patch, again, body: bytes).status == .accepted)
            let done = try await registry.call(.put, "\(again)?digest=\(digest)")
            #expect(done.status == .created && done.header("Docker-Content-Digest") == digest.description)
            let head = try await registry.call(.head, "blobs/\(digest)")
            #expect(head.status == .ok && head.header("Content-Length") == "300000" && head.header("Docker-Content-Digest") == digest.description)
            let get = try await registry.call(.get, "blobs/\(digest)")
            #expect(get.body == bytes)
            let range = try await registry.call(.get, "blobs/\(digest)", headers: ["Range": "bytes=10-19"])
            #expect(range.status == .partialContent && range.body == bytes[10..<20])

            let cancelled = try #require(try await registry.call(.post, "blobs/uploads/").header("Location"))
            #expect(try await registry.call(.delete, cancelled).status == .noContent)
            #expect(try await registry.call(.get, cancelled).status == .notFound)
        }
    }

    @Test("manifests by tag and digest, tag paging with Link, referrers with filtering, deletes", arguments: ServerBackend.enabled)
    func manifestsTagsReferrers(backend: ServerBackend) async throws {
        try await withRegistry(backend) { registry in
            let (image, bytes) = try await registry.pushImage(tag: "v1")
            for tag in ["b", "a", "c", "v2"] {
                #expect(try await registry.call(.put, "manifests/\(tag)", body: bytes, headers: ["Content-Type": MediaType.imageManifest]).status == .created)
            }
            let byDigest = try await registry.call(.get, "manifests/\(image.digest)")
            #expect(byDigest.body == bytes && byDigest.header("Docker-Content-Digest") == image.digest.description)
            #expect(byDigest.header("Content-Type") == MediaType.imageManifest)
            #expect(try await registry.call(.head, "manifests/v1").header("Docker-Content-Digest") == image.digest.description)

            let page = try await registry.call(.get, "tags/list?n=2")
            #expect(try JSONDecoder().decode([String: AnyCodable].self, from: page.body)["tags"]?.strings == ["a", "b"])
            let link = try #require(page.header("Link"))
            #expect(link.contains("last=b") && link.hasSuffix("rel=\"next\""))
            let rest = try await registry.call(.get, "tags/list?n=10&last=b")
            #expect(try JSONDecoder().decode([String: AnyCodable].self, from: rest.body)["tags"]?.strings == ["c", "v1", "v2"])
            #expect(rest.header("Link") == nil)
            let none = try await registry.call(.get, "tags/list?n=0")
            #expect(try JSONDecoder().decode([String: AnyCodable].self, from: none.body)["tags"]?.strings == [])

            // A referrer whose subject does not exist yet is accepted (OCI-Subject echoed).
            let empty = try await registry.pushBlob(Data("{}".utf8), mediaType: MediaType.empty)
            let sbom = try await registry.pushBlob(Data("sbom".utf8))
            for (type, subject) in [("application/vnd.example.sbom", image), ("application/vnd.example.scan", image)] {
                let referrer = try JSONEncoder().encode(ManifestDocument(artifactType: type, config: empty, layers: [sbom], subject: subject))
                let put = try await registry.call(.put, "manifests/\(RegistryFixture.digest(referrer))", body: referrer,
                                                  headers: ["Content-Type": MediaType.imageManifest])
                #expect(put.status == .created && put.header("OCI-Subject") == image.digest.description)
            }
            let all = try await registry.call(.get, "referrers/\(image.digest)")
            #expect(all.status == .ok && all.header("Content-Type") == MediaType.imageIndex)
            #expect(try JSONDecoder().decode(ManifestDocument.self, from: all.body).manifests?.count == 2)
            let filtered = try await registry.call(.get, "referrers/\(image.digest)?artifactType=application/vnd.example.scan")
            #expect(filtered.header("OCI-Filters-Applied") == "artifactType")
            #expect(try JSONDecoder().decode(ManifestDocument.self, from: filtered.body).manifests?.map(\.artifactType) == ["application/vnd.example.scan"])
            let unknownSubject = try await registry.call(.get, "referrers/\(RegistryFixture.digest(Data("nothing".utf8)))")
            #expect(unknownSubject.status == .ok, "referrers never 404")

            #expect(try await registry.call(.delete, "manifests/c").status == .accepted)
            #expect(try await registry.call(.get, "manifests/c").ociCode == "MANIFEST_UNKNOWN")
            #expect(try await registry.call(.get, "manifests/v1").status == .ok, "deleting a tag keeps the manifest")
            #expect(try await registry.call(.delete, "manifests/\(image.digest)").status == .accepted)
            #expect(try await registry.call(.get, "manifests/v1").ociCode == "MANIFEST_UNKNOWN")
            #expect(try await registry.call(.delete, "blobs/\(sbom.digest)").status == .accepted)
            #expect(try await registry.call(.head, "blobs/\(sbom.digest)").status == .notFound)
        }
    }

    @Test("bad input: unknown blobs, bad JSON, digest mismatch, big manifests, names, auth and project isolation", arguments: ServerBackend.enabled)
    func badInput(backend: ServerBackend) async throws {
        try await withRegistry(backend) { registry in
            let missing = Descriptor(mediaType: MediaType.layerGzip, digest: RegistryFixture.digest(Data("absent".utf8)), size: 6)
            let config = try await registry.pushBlob(Data("{}".utf8), mediaType: MediaType.imageConfig)
            let dangling = try JSONEncoder().encode(ManifestDocument(config: config, layers: [missing]))
            let refused = try await registry.call(.put, "manifests/bad", body: dangling, headers: ["Content-Type": MediaType.imageManifest])
            #expect(refused.status == .badRequest && refused.ociCode == "MANIFEST_BLOB_UNKNOWN")
            let garbage = try await registry.call(.put, "manifests/bad", body: Data("{not json".utf8), headers: ["Content-Type": MediaType.imageManifest])
            #expect(garbage.ociCode == "MANIFEST_INVALID")
            let (_, bytes) = try await registry.pushImage(tag: "v1")
            let wrongDigest = try await registry.call(.put, "manifests/\(RegistryFixture.digest(Data("x".utf8)))", body: bytes,
                                                      headers: ["Content-Type": MediaType.imageManifest])
            #expect(wrongDigest.ociCode == "DIGEST_INVALID")

            // A manifest over 4 MiB is accepted (the spec's minimum), one over the limit is 413.
            var layers: [Descriptor] = []
            for index in 0..<2 { layers.append(try await registry.pushBlob(Data("l\(index)".utf8))) }
            var annotations: [String: String] = [:]
            annotations["padding"] = String(repeating: "x", count: 4_300_000)
            let large = try JSONEncoder().encode(ManifestDocument(config: config, layers: layers, annotations: annotations))
            #expect(try await registry.call(.put, "manifests/large", body: large, headers: ["Content-Type": MediaType.imageManifest]).status == .created)
            annotations["padding"] = String(repeating: "x", count: 17_000_000)
            let huge = try JSONEncoder().encode(ManifestDocument(config: config, layers: layers, annotations: annotations))
            #expect(try await registry.call(.put, "manifests/huge", body: huge, headers: ["Content-Type": MediaType.imageManifest]).status == .contentTooLarge)

            #expect(try await registry.call(.get, "/v2/UPPER/app/tags/list").ociCode == "NAME_INVALID")
            let anonymous = try await registry.call(.get, "/v2/", authenticated: false)
            #expect(anonymous.status == .unauthorized && anonymous.ociCode == "UNAUTHORIZED")
            #expect(anonymous.header("WWW-Authenticate")?.hasPrefix("Bearer realm=\"http://") == true)
            #expect(anonymous.header("WWW-Authenticate")?.contains("/v2/token") == true)
            let token = try await registry.call(.get, "/v2/token?service=platformd&scope=repository:\(registry.repository):pull")
            #expect(token.status == .ok)
            let issued = try JSONDecoder().decode([String: AnyCodable].self, from: token.body)["token"]?.string
            var bearer = HTTPFields()
            bearer[.authorization] = "Bearer \(issued ?? "")"
            let withToken = try await registry.iam.client.execute(uri: "/v2/\(registry.repository)/tags/list", method: .get, headers: bearer) { $0.status }
            #expect(withToken == .ok)
            #expect(try await registry.call(.get, "/v2/token", authenticated: false).status == .unauthorized)

            // Another project's key: the repository does not exist for it; a viewer cannot push or delete.
            let other = try await RegistryFixture.make(registry.iam, tenant: "globex", project: "p2")
            #expect(try await other.call(.get, "/v2/\(registry.repository)/manifests/v1").ociCode == "NAME_UNKNOWN")
            #expect(try await other.call(.post, "/v2/\(registry.repository)/blobs/uploads/").ociCode == "NAME_UNKNOWN")
            let account = try await registry.iam.ok(.post, "/v1/projects/\(registry.project.id)/serviceaccounts", key: registry.iam.adminKey,
                                                    body: ["name": "reader", "role": "viewer"], as: ServiceAccount.self)
            let readerKey = try await registry.iam.ok(.post, "/v1/keys", key: registry.iam.adminKey,
                                                      body: ["serviceAccount": account.id, "scopes": ["artifacts:repository:pull"], "expiresInSeconds": 3600],
                                                      as: IssuedKey.self)
            let reader = registry.with(key: readerKey.key)
            #expect(try await reader.call(.get, "manifests/v1").status == .ok)
            let denied = try await reader.call(.post, "blobs/uploads/")
            #expect(denied.status == .forbidden && denied.ociCode == "DENIED")
            #expect(try await reader.call(.delete, "manifests/v1").ociCode == "DENIED")
            // A cross-repository mount from a repository the caller cannot read falls back to a plain upload.
            let mount = try await other.call(.post, "blobs/uploads/?mount=\(config.digest)&from=\(registry.repository)")
            #expect(mount.status == .accepted)
            let ownMount = try await registry.call(.post, "/v2/\(registry.project.id.lowercased())/copy/blobs/uploads/?mount=\(config.digest)&from=\(registry.repository)")
            #expect(ownMount.status == .created && ownMount.header("Docker-Content-Digest") == config.digest.description)
        }
    }

    @Test("image indexes and Docker v2 manifests: children must exist, media types are kept", arguments: ServerBackend.enabled)
    func indexesAndDockerManifests(backend: ServerBackend) async throws {
        try await withRegistry(backend) { registry in
            let (image, _) = try await registry.pushImage(tag: "amd64")
            let absent = Descriptor(mediaType: MediaType.imageManifest, digest: RegistryFixture.digest(Data("no such manifest".utf8)), size: 16)
            let dangling = try JSONEncoder().encode(ManifestDocument(index: [image, absent]))
            let refused = try await registry.call(.put, "manifests/multi", body: dangling, headers: ["Content-Type": MediaType.imageIndex])
            #expect(refused.ociCode == "MANIFEST_BLOB_UNKNOWN")
            let index = try JSONEncoder().encode(ManifestDocument(index: [image]))
            #expect(try await registry.call(.put, "manifests/multi", body: index, headers: ["Content-Type": MediaType.imageIndex]).status == .created)
            let served = try await registry.call(.get, "manifests/multi")
            #expect(served.body == index && served.header("Content-Type") == MediaType.imageIndex)

            let config = try await registry.pushBlob(Data(#"{"os":"linux"}"#.utf8), mediaType: "application/vnd.docker.container.image.v1+json")
            let layer = try await registry.pushBlob(Data("docker layer".utf8), mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip")
            let docker = try JSONEncoder().encode(ManifestDocument(mediaType: MediaType.dockerManifest, config: config, layers: [layer]))
            #expect(try await registry.call(.put, "manifests/docker", body: docker, headers: ["Content-Type": MediaType.dockerManifest]).status == .created)
            #expect(try await registry.call(.head, "manifests/docker").header("Content-Type") == MediaType.dockerManifest)
            let mismatch = try await registry.call(.put, "manifests/docker2", body: docker, headers: ["Content-Type": MediaType.imageManifest])
            #expect(mismatch.ociCode == "MANIFEST_INVALID", "Content-Type must match the document's mediaType")
        }
    }

    @Test("garbage collection keeps every referenced blob and removes the rest")
    func garbageCollection() async throws {
        try await withIAMServer(.sqlite) { iam in
            let registry = try await RegistryFixture.make(iam)
            let shared = Data("shared-layer".utf8)
            let (first, _) = try await registry.pushImage(tag: "one", layer: shared)
            let (second, _) = try await registry.pushImage(tag: "two", layer: Data("only-two".utf8))
            let orphan = try await registry.pushBlob(Data("never referenced".utf8))
            #expect(try await registry.call(.delete, "manifests/\(second.digest)").status == .accepted)
            let collector = RegistryGarbageCollector(registry: iam.server.registry, grace: .zero, logger: quietLogger)
            let report = try await collector.collect()
            #expect(report.blobsDeleted >= 3, "the deleted manifest, its unique layer and the orphan")
            #expect(try await registry.call(.get, "manifests/\(first.digest)").status == .ok)
            #expect(try await registry.call(.get, "blobs/\(RegistryFixture.digest(shared))").body == shared)
            #expect(try await registry.call(.head, "blobs/\(orphan.digest)").status == .notFound)
            #expect(try await iam.server.blobs.info(RegistryFixture.digest(Data("only-two".utf8))) == nil)
        }
    }
}

/// A JSON value decoded loosely, for assertions on small documents.
struct AnyCodable: Decodable {
    let value: Any
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) { value = text }
        else if let list = try? container.decode([String].self) { value = list }
        else if let number = try? container.decode(Int.self) { value = number }
        else { value = NSNull() }
    }
    var string: String? { value as? String }
    var strings: [String]? { value as? [String] }
}
