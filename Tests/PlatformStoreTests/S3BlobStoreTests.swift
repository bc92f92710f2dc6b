import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import PlatformContracts
@testable import PlatformStore
import PlatformTestKit
import Testing

/// The S3 driver against a real S3-protocol server: moto's server mode with signature
/// checking on (a request signed with a wrong secret is refused), one server per test.
@Suite("S3 blob store on moto (signatures checked)", .serialized, .tags(.integration))
struct S3BlobStoreTests {
    /// A store over a fresh prefix of the bucket: an empty store for each check.
    static func store(_ moto: MotoS3, _ staging: URL, prefix: String = "t-\(UUID().uuidString.prefix(8).lowercased())",
                      redirect: Int? = nil, credentials: SigV4Credentials? = nil) throws -> S3BlobStore {
        try S3BlobStore(bucket: moto.s3Bucket(credentials: credentials, prefix: prefix, redirectSeconds: redirect),
                        staging: staging.appendingPathComponent(prefix))
    }

    /// A request body of one chunk.
    static func body(_ data: Data) -> AsyncStream<ByteBuffer> {
        AsyncStream { continuation in
            continuation.yield(ByteBuffer(bytes: data))
            continuation.finish()
        }
    }

    @Test("every blob-store conformance check passes on S3: streamed (signatures checked), and with GETs redirected to pre-signed URLs")
    func conformance() async throws {
        // moto serves pre-signed URLs only while it does not check signatures (see moto_server.py).
        for redirect in [nil, 300] {
            try await MotoS3.with(checkSignatures: redirect == nil) { moto in
                try await withTemporaryDirectory { staging async throws in
                    for check in BlobStoreConformance.checks {
                        let store = try Self.store(moto, staging.url, redirect: redirect)
                        do {
                            try await check.run(store)
                        } catch {
                            Issue.record("\(check.title) (redirect \(redirect.map(String.init) ?? "off")): \(error)")
                        }
                        // Staged bytes never outlive a commit, a mismatch or a cancel.
                        #expect(try FileManager.default.contentsOfDirectory(atPath: store.staging.path).isEmpty, "\(check.title)")
                    }
                    if redirect != nil {
                        #expect(moto.log.contains("X-Amz-Signature="), "the redirected reads fetched pre-signed URLs")
                    }
                }
            }
        }
    }

    @Test("a request signed with a wrong secret is refused by the server: blob.storage_failed naming SignatureDoesNotMatch; nothing is stored")
    func wrongSecretRefused() async throws {
        try await MotoS3.with { moto in
            try await withTemporaryDirectory { staging async throws in
                let wrong = SigV4Credentials(accessKeyID: moto.credentials.accessKeyID, secretAccessKey: "not-the-secret")
                let bad = try Self.store(moto, staging.url, prefix: "shared", credentials: wrong)
                let data = Data("refused".utf8)
                let error = await #expect(throws: PlatformError.self) { try await bad.put(data, expecting: digest(of: data)) }
                #expect(error?.code == .blobStorageFailed)
                #expect(error?.details["status"] == "403")
                #expect(error?.details["s3Code"] == "SignatureDoesNotMatch")
                #expect(await #expect(throws: PlatformError.self) { _ = try await bad.digests() }?.details["s3Code"] == "SignatureDoesNotMatch")
                let good = try Self.store(moto, staging.url, prefix: "shared")
                #expect(try await good.digests().isEmpty)
                try await good.put(data, expecting: digest(of: data))
                #expect(try await good.readAll(digest(of: data)) == data)
                // The health probe sees the refusal too.
                #expect(await BlobStoreHealthCheck(store: bad).check().status == .fail)
                #expect(await BlobStoreHealthCheck(store: good).check().status == .pass)
            }
        }
    }

    @Test("a blob over one part goes up as a multipart upload (three parts of 5 MiB, 5 MiB, 2 MiB) and reads back whole and by range")
    func multipartUpload() async throws {
        try await MotoS3.with { moto in
            try await withTemporaryDirectory { staging async throws in
                let store = try Self.store(moto, staging.url)
                var data = Data(count: 12 << 20)
                data.withUnsafeMutableBytes { bytes in
                    for index in stride(from: 0, to: bytes.count, by: 4096) { bytes[index] = UInt8(truncatingIfNeeded: index / 4096) }
                }
                let id = digest(of: data)
                let writer = try await store.makeWriter()
                for offset in stride(from: 0, to: data.count, by: 1 << 20) { try await writer.write(data[offset..<min(offset + (1 << 20), data.count)]) }
                #expect(try await writer.commit(expecting: id) == BlobInfo(digest: id, size: Int64(data.count)))
                #expect(try await store.readAll(id) == data)
                var tail = Data()
                for try await chunk in try await store.read(id, range: Int64(data.count - 10)...Int64(data.count - 1)) { tail.append(chunk) }
                #expect(tail == data.suffix(10))
                let log = moto.log
                #expect(log.contains("?uploads"), "a CreateMultipartUpload request")
                #expect((1...3).allSatisfy { log.contains("partNumber=\($0)&") }, "UploadPart 1, 2 and 3")
                #expect(!log.contains("partNumber=4&"))
            }
        }
    }

    @Test("the registry's resumable uploads commit into S3: chunks staged locally, the blob uploaded only after its digest matched")
    func resumableUploadsIntoS3() async throws {
        try await MotoS3.with { moto in
            try await withTemporaryDirectory { staging async throws in
                let store = try Self.store(moto, staging.url)
                let uploads = try ResumableUploads(store: store, folder: staging.appending("uploads"))
                let parts = [Data("first chunk, ".utf8), Data("second chunk".utf8)]
                let whole = parts.reduce(Data(), +)
                try uploads.create("u1")
                _ = try await uploads.append("u1", at: 0, body: Self.body(parts[0]))
                _ = try await uploads.append("u1", at: Int64(parts[0].count), body: Self.body(parts[1]))
                #expect(try await store.info(digest(of: whole)) == nil, "nothing in the bucket before the commit")
                let info = try await uploads.commit("u1", expecting: digest(of: whole))
                #expect(info == BlobInfo(digest: digest(of: whole), size: Int64(whole.count)))
                #expect(try await store.readAll(digest(of: whole)) == whole)
                #expect(try FileManager.default.contentsOfDirectory(atPath: staging.appending("uploads").path).isEmpty)

                try uploads.create("u2")
                _ = try await uploads.append("u2", at: 0, body: Self.body(Data("tampered".utf8)))
                let error = await #expect(throws: PlatformError.self) { try await uploads.commit("u2", expecting: digest(of: Data("promised".utf8))) }
                #expect(error?.code == .artifactDigestInvalid)
                #expect(try await store.digests() == [digest(of: whole)])
            }
        }
    }

    @Test("blobs live at <prefix>/sha256/<2 hex>/<hex>; keys outside that layout are not listed")
    func layout() async throws {
        try await MotoS3.with { moto in
            try await withTemporaryDirectory { staging async throws in
                let store = try Self.store(moto, staging.url, prefix: "tenant/blobs")
                let data = Data("layout".utf8)
                let id = digest(of: data)
                try await store.put(data, expecting: id)
                #expect(store.bucket.key(for: id) == "tenant/blobs/sha256/\(id.hex.prefix(2))/\(id.hex)")
                _ = try await store.client.send(.PUT, key: "tenant/blobs/sha256/zz/not-a-digest", body: Data("x".utf8))
                _ = try await store.client.send(.PUT, key: "tenant/blobs/sha256/\(id.hex.prefix(2))/\(String(id.hex.reversed()))", body: Data("x".utf8))
                #expect(try await store.digests() == [id])
                #expect(moto.log.contains("PUT /\(moto.bucket)/tenant/blobs/sha256/\(id.hex.prefix(2))/\(id.hex)"))
            }
        }
    }
}

/// Follows a ``BlobDelivery/redirect(_:)`` the way a registry client does: a plain GET of the URL.
enum BlobRedirect {
    static func fetch(_ url: URL) async throws -> Data {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url.absoluteString), timeout: .seconds(30))
        guard response.status == .ok else { throw PlatformError(.blobStorageFailed, "GET \(url) answered \(response.status)") }
        return Data(buffer: try await response.body.collect(upTo: 64 << 20))
    }
}
