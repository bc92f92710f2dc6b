import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import OCIKit
import PlatformContracts
import Testing

/// Raw OCI Distribution calls against a live server, with HTTP Basic (key as password).
struct RegistryFixture: Sendable {
    let iam: IAMFixture
    let key: String
    let repository: String
    let project: Project

    struct Reply: Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: Data
        var ociCode: String? { errors.first?.code }
        var platformCode: String? { errors.first?.detail?["code"] }
        var errors: [Entry] { (try? JSONDecoder().decode(Errors.self, from: body))?.errors ?? [] }
        struct Errors: Decodable { var errors: [Entry] }
        struct Entry: Decodable { var code: String; var message: String; var detail: [String: String]? }
        func header(_ name: String) -> String? { headers[HTTPField.Name(name)!] }
    }

    /// A project with a project-admin key and the repository `<project>/app`.
    static func make(_ iam: IAMFixture, tenant: String = "acme", project: String = "p1", role: String = "project-admin") async throws -> RegistryFixture {
        let (_, created, _, key) = try await iam.makeProject(tenant: tenant, project: project, account: "ci-\(project)", role: role)
        return RegistryFixture(iam: iam, key: key.key, repository: "\(created.id.lowercased())/app", project: created)
    }

    func with(key: String) -> RegistryFixture { RegistryFixture(iam: iam, key: key, repository: repository, project: project) }

    func call(_ method: HTTPRequest.Method, _ path: String, body: Data? = nil, headers extra: [String: String] = [:],
              authenticated: Bool = true) async throws -> Reply {
        var headers = HTTPFields()
        if authenticated { headers[.authorization] = "Basic " + Data("u:\(key)".utf8).base64EncodedString() }
        for (name, value) in extra { headers[HTTPField.Name(name)!] = value }
        let uri = path.hasPrefix("/") ? path : "/v2/\(repository)/\(path)"
        return try await iam.client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) }) { response in
            Reply(status: response.status, headers: response.headers, body: Data(response.body.readableBytesView))
        }
    }

    /// Pushes a blob with a single POST; returns its descriptor.
    @discardableResult
    func pushBlob(_ bytes: Data, mediaType: String = "application/octet-stream") async throws -> Descriptor {
        let digest = Self.digest(bytes)
        let reply = try await call(.post, "blobs/uploads/?digest=\(digest)", body: bytes)
        #expect(reply.status == .created, "single-POST upload: \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
        return Descriptor(mediaType: mediaType, digest: digest, size: Int64(bytes.count))
    }

    /// Pushes a small image (config + one layer) and tags it; returns the manifest descriptor.
    func pushImage(tag: String, layer: Data = Data("layer-\(UUID())".utf8)) async throws -> (Descriptor, Data) {
        let config = try await pushBlob(Data(#"{"architecture":"amd64","os":"linux"}"#.utf8), mediaType: MediaType.imageConfig)
        let layerDescriptor = try await pushBlob(layer, mediaType: MediaType.layerGzip)
        let manifest = try JSONEncoder().encode(ManifestDocument(config: config, layers: [layerDescriptor]))
        let reply = try await call(.put, "manifests/\(tag)", body: manifest, headers: ["Content-Type": MediaType.imageManifest])
        #expect(reply.status == .created, "manifest PUT: \(String(decoding: reply.body, as: UTF8.self))")
        return (Descriptor(mediaType: MediaType.imageManifest, digest: Self.digest(manifest), size: Int64(manifest.count)), manifest)
    }

    static func digest(_ bytes: Data) -> ContentDigest { ContentDigest(sha256Bytes: SHA256.hash(data: bytes)) }
}

/// Boots a live server on `backend` with a project and its repository.
func withRegistry(_ backend: ServerBackend, _ body: @escaping @Sendable (RegistryFixture) async throws -> Void) async throws {
    try await withIAMServer(backend) { iam in try await body(try await RegistryFixture.make(iam)) }
}
