import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import PlatformContracts
import PlatformStore
import PlatformTestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real `platformd` with `--blob-store s3://…` on moto (signatures checked): the registry,
/// the health check and the unpacker reach blobs only through the `BlobStore` protocol.
@Suite("Registry on an S3 blob store (real platformd, skopeo, moto)", .serialized, .tags(.integration))
struct RegistryS3ProcessTests {
    /// How platformd hands blob GETs out.
    enum Serving: String, CaseIterable, CustomTestStringConvertible, Sendable {
        /// Through platformd, on a moto that checks every signature.
        case streamed
        /// `307` to a pre-signed URL, on a moto that does not check signatures (it cannot
        /// serve pre-signed URLs while it does; see scripts/s3/moto_server.py).
        case redirected

        var testDescription: String { rawValue }
    }

    @Test("skopeo pushes to and pulls from platformd on S3, streamed or redirected to pre-signed URLs; the blobs are objects in the bucket; a wrong secret fails readiness on blobstore:writable",
          arguments: Serving.allCases)
    func skopeoThroughS3(serving: Serving) async throws {
        try await MotoS3.with(checkSignatures: serving == .streamed) { moto in
            try await withTemporaryDirectory { directory async throws in
                let environment = ["PLATFORMD_S3_ACCESS_KEY_ID": moto.credentials.accessKeyID,
                                   "PLATFORMD_S3_SECRET_ACCESS_KEY": moto.credentials.secretAccessKey]
                var daemon = try await RegistryProcessTests.Daemon.start(
                    directory, databaseURL: nil,
                    arguments: ["--blob-store", moto.blobStoreURL(prefix: "registry", redirectSeconds: serving == .redirected ? 300 : nil)],
                    environment: environment)
                defer { daemon.process.signal(SIGKILL) }
                try await daemon.makeProject()
                let image = directory.appending("image").path
                let (built, buildLog) = try await RegistryProcessTests.run(
                    "/bin/bash", [AppImages.repositoryRoot.appendingPathComponent("scripts/oci/make-image.sh").path, image],
                    in: directory, log: "make-image.log")
                #expect(built == 0, "\(buildLog)")
                let layout = try JSONDecoder().decode(RegistryProcessTests.IndexFile.self,
                                                      from: Data(contentsOf: URL(fileURLWithPath: image).appendingPathComponent("index.json")))
                let digest = try #require(layout.manifests.first).digest
                try? FileManager.default.removeItem(atPath: "/var/lib/containers/cache/blob-info-cache-v1.boltdb")
                let target = "docker://127.0.0.1:\(daemon.port)/\(daemon.repository):v1"
                let (pushed, pushLog) = try await RegistryProcessTests.run(
                    "/usr/bin/skopeo", ["copy", "--dest-tls-verify=false", "--dest-creds", "ci:\(daemon.key)", "oci:\(image):v1", target],
                    in: directory, log: "push.log")
                #expect(pushed == 0, "\(pushLog)")
                let back = directory.appending("back").path
                let (pulled, pullLog) = try await RegistryProcessTests.run(
                    "/usr/bin/skopeo", ["copy", "--src-tls-verify=false", "--src-creds", "ci:\(daemon.key)", target, "oci:\(back):v1"],
                    in: directory, log: "pull.log")
                #expect(pulled == 0, "\(pullLog)")
                let backLayout = try JSONDecoder().decode(RegistryProcessTests.IndexFile.self,
                                                          from: Data(contentsOf: URL(fileURLWithPath: back).appendingPathComponent("index.json")))
                #expect(backLayout.manifests.first?.digest == digest, "the digest survives the round trip through S3")

                // The manifest's blobs are objects under the prefix, and nothing is on local disk.
                let store = try S3BlobStore(bucket: moto.s3Bucket(prefix: "registry"), staging: directory.appending("probe-staging"))
                let stored = try await store.digests()
                #expect(stored.contains(try ContentDigest(parsing: digest)), "the manifest is an object in the bucket")
                #expect(stored.count >= 3, "manifest, config and layer: \(stored)")
                #expect(!FileManager.default.fileExists(atPath: directory.appending("data/blobs").path))

                // Redirected: a blob GET answers 307 to a pre-signed URL on the bucket. Streamed:
                // 200 with the bytes. HEAD answers itself either way.
                let layer = try #require(stored.first { $0.description != digest })
                let (status, headers, body) = try await daemon.call(.GET, "/v2/\(daemon.repository)/blobs/\(layer)", followRedirects: false)
                switch serving {
                case .redirected:
                    #expect(status == 307)
                    let location = headers.first(name: "Location") ?? ""
                    #expect(location.hasPrefix(moto.endpoint.absoluteString + "/\(moto.bucket)/registry/sha256/") && location.contains("X-Amz-Signature="))
                    #expect(moto.log.contains("X-Amz-Signature="), "skopeo fetched blobs from pre-signed URLs")
                case .streamed:
                    #expect(status == 200 && ContentDigest(sha256Bytes: SHA256.hash(data: body)) == layer)
                    #expect(!moto.log.contains("X-Amz-Signature="))
                }
                let (headStatus, headHeaders, _) = try await daemon.call(.HEAD, "/v2/\(daemon.repository)/blobs/\(layer)")
                #expect(headStatus == 200 && headHeaders.first(name: "Docker-Content-Digest") == layer.description)
                let (ready, _, readyBody) = try await daemon.call(.GET, "/readyz")
                #expect(ready == 200, "\(String(decoding: readyBody, as: UTF8.self))")
            }
            // The same bucket with a wrong secret: platformd starts, and readiness names the blob store.
            guard serving == .streamed else { return }
            try await withTemporaryDirectory { directory async throws in
                let daemon = try await RegistryProcessTests.Daemon.start(
                    directory, databaseURL: nil, arguments: ["--blob-store", moto.blobStoreURL(prefix: "registry")],
                    environment: ["PLATFORMD_S3_ACCESS_KEY_ID": moto.credentials.accessKeyID, "PLATFORMD_S3_SECRET_ACCESS_KEY": "wrong"])
                defer { daemon.process.signal(SIGKILL) }
                let (ready, _, body) = try await daemon.call(.GET, "/readyz")
                let report = String(decoding: body, as: UTF8.self)
                #expect(ready == 503)
                #expect(report.contains("blobstore:writable") && report.contains("SignatureDoesNotMatch"), "\(report)")
            }
        }
    }

    @Test("platformd refuses an S3 blob store without keys or with a bad URL at start (exit 78, config.invalid)")
    func badConfigurationRefused() async throws {
        try await withTemporaryDirectory { directory async throws in
            for (url, environment, expected) in [
                ("s3://platform-blobs?endpoint=http://127.0.0.1:9&region=us-east-1", [String: String](), "PLATFORMD_S3_ACCESS_KEY_ID"),
                ("s3://platform-blobs?region=us-east-1", ["PLATFORMD_S3_ACCESS_KEY_ID": "a", "PLATFORMD_S3_SECRET_ACCESS_KEY": "b"], "endpoint="),
                ("s3://Bad_Bucket?endpoint=http://127.0.0.1:9&region=us-east-1", ["PLATFORMD_S3_ACCESS_KEY_ID": "a", "PLATFORMD_S3_SECRET_ACCESS_KEY": "b"], "bucket name"),
                ("ftp://somewhere", [:], "is not file or s3://"),
            ] {
                let process = try ChildProcess(ProcessLifecycleTests.binary,
                                               ["serve", "--data-dir", directory.appending("data").path, "--blob-store", url,
                                                "--listen", "127.0.0.1:\(freeLocalPort())"],
                                               environment: environment, outputPath: directory.appending("refused.log").path)
                let code = await process.wait(timeout: .seconds(60))
                if code == nil { await process.terminate() }
                #expect(code == 78, "\(url): \(process.output)")
                #expect(process.output.contains(expected), "\(url): \(process.output)")
            }
        }
    }
}
