import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import PlatformContracts

/// The blob store in an S3 bucket (AWS, or any S3-protocol server: MinIO, Ceph RGW, moto).
///
/// ```
/// s3://<bucket>/<prefix>/sha256/2c/2c26b46b68ff…e7ae     one object per committed blob
/// <staging>/<uuid>                                     local bytes until the digest matched
/// ```
///
/// Bytes are staged on local disk and hashed as they arrive; only after the digest matched
/// is the object uploaded under its digest's key (one PUT, or a multipart upload for blobs
/// over ``S3Bucket/partSize``). S3 makes an object visible only when its PUT or multipart
/// completion succeeds, so a reader sees a whole verified blob or none, as with the
/// filesystem driver's rename. Every request is signed with AWS Signature V4 and carries its
/// payload's SHA-256.
public struct S3BlobStore: BlobStore {
    /// The bucket and its options.
    public let bucket: S3Bucket
    /// Where writers stage bytes before the upload (local disk).
    public let staging: URL
    let client: S3Client

    /// Opens a store; makes no request (the health check's probe does).
    /// - Parameters:
    ///   - bucket: Where the blobs go.
    ///   - staging: A local folder for staged bytes, created if missing.
    ///   - http: The HTTP client (the process-wide shared one by default).
    ///   - now: The wall clock signatures are dated by.
    public init(bucket: S3Bucket, staging: URL, http: HTTPClient = .shared,
                now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.bucket = bucket
        self.staging = staging
        self.client = S3Client(bucket: bucket, http: http, now: now)
        do {
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch {
            throw PlatformError(.blobStorageFailed, "cannot create the S3 staging folder \(staging.path): \(error)")
        }
    }

    /// HEAD of the blob's object: its size, or `nil` when there is none.
    public func info(_ digest: ContentDigest) async throws -> BlobInfo? {
        try await head(digest).map { BlobInfo(digest: digest, size: $0.size) }
    }

    /// Size and `Last-Modified` of an object, or `nil` for a 404.
    func head(_ digest: ContentDigest) async throws -> (size: Int64, modified: Date?)? {
        let reply = try await client.send(.HEAD, key: bucket.key(for: digest), expected: [200, 404])
        guard reply.status == 200 else { return nil }
        guard let size = reply.headers.first(name: "content-length").flatMap({ Int64($0) }) else {
            throw PlatformError(.blobStorageFailed, "S3 answered HEAD \(bucket.key(for: digest)) without a Content-Length")
        }
        return (size, reply.headers.first(name: "last-modified").flatMap(HTTPDate.parse))
    }

    /// Streams the object: one GET for the whole blob; for a range, a HEAD first (S3 cuts a
    /// range that runs past the end short, where this protocol refuses it) and a ranged GET.
    public func read(_ digest: ContentDigest, range: ClosedRange<Int64>?) async throws -> AsyncThrowingStream<Data, any Error> {
        let response: HTTPClientResponse
        let expected: Int64?
        if let range {
            guard let info = try await info(digest) else {
                throw PlatformError(.blobNotFound, "no blob \(digest)", details: ["digest": digest.description])
            }
            let bounds = try BlobRange.resolve(range, size: info.size)
            response = try await client.open(
                .GET, key: bucket.key(for: digest), headers: [("range", "bytes=\(bounds.lowerBound)-\(bounds.upperBound - 1)")])
            expected = bounds.upperBound - bounds.lowerBound
        } else {
            do {
                response = try await client.open(.GET, key: bucket.key(for: digest), headers: [])
            } catch let error as PlatformError where error.details["status"] == "404" {
                throw PlatformError(.blobNotFound, "no blob \(digest)", details: ["digest": digest.description])
            }
            expected = response.headers.first(name: "content-length").flatMap { Int64($0) }
        }
        // Pulled, not pushed: each chunk is read from S3 when the consumer asks for it, so a
        // slow client holds back the download (AsyncHTTPClient's backpressure) instead of the
        // whole blob piling up in memory.
        let body = S3BodyReader(response.body.makeAsyncIterator(), expected: expected, digest: digest)
        return AsyncThrowingStream(unfolding: { try await body.next() })
    }

    /// A writer staging on local disk that uploads on a verified commit.
    public func makeWriter() async throws -> any BlobWriter {
        try StagedBlobWriter(folder: staging) { file, digest in _ = try await upload(file, as: digest) }
    }

    /// Uploads a verified local file (the registry's resumable uploads) and removes it.
    public func adopt(file: URL, as digest: ContentDigest) async throws -> BlobInfo {
        try await upload(file, as: digest)
    }

    /// DELETE of the blob's object (after a HEAD: S3 answers 204 whether or not it existed).
    public func delete(_ digest: ContentDigest) async throws -> Bool {
        guard try await head(digest) != nil else { return false }
        _ = try await client.send(.DELETE, key: bucket.key(for: digest), expected: [200, 204])
        return true
    }

    /// ListObjectsV2 under the blob prefix, page by page (1,000 keys each).
    public func digests() async throws -> [ContentDigest] {
        var result: [ContentDigest] = []
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", bucket.blobKeyPrefix)]
            if let token { query.append(("continuation-token", token)) }
            let reply = try await client.send(.GET, key: nil, query: query)
            for key in S3XML.values("Key", in: reply.text) {
                guard let name = key.split(separator: "/").last,
                      let digest = try? ContentDigest(parsing: "sha256:\(name)"), bucket.key(for: digest) == key else { continue }
                result.append(digest)
            }
            token = S3XML.values("IsTruncated", in: reply.text).first == "true"
                ? S3XML.values("NextContinuationToken", in: reply.text).first : nil
        } while token != nil
        return result.sorted()
    }

    /// The object's `Last-Modified`: when its upload completed.
    public func storedAt(_ digest: ContentDigest) async throws -> Date? {
        try await head(digest)?.modified
    }

    /// A pre-signed GET when redirects are configured, else the bytes through platformd.
    public func delivery(_ digest: ContentDigest) async throws -> BlobDelivery {
        guard let seconds = bucket.redirectSeconds,
              let url = client.presignedGet(key: bucket.key(for: digest), seconds: seconds) else { return .stream }
        return .redirect(url)
    }
}

/// The body of a ranged GET, read one chunk per request of the consumer, checking that S3
/// sent exactly the bytes asked for.
private final class S3BodyReader: @unchecked Sendable {
    // Used by one consumer at a time: AsyncThrowingStream(unfolding:) calls next() serially.
    private var iterator: HTTPClientResponse.Body.AsyncIterator
    private var received: Int64 = 0
    private let expected: Int64?
    private let digest: ContentDigest

    init(_ iterator: HTTPClientResponse.Body.AsyncIterator, expected: Int64?, digest: ContentDigest) {
        self.iterator = iterator
        self.expected = expected
        self.digest = digest
    }

    func next() async throws -> Data? {
        guard let buffer = try await iterator.next() else {
            if let expected, received != expected {
                throw PlatformError(.blobStorageFailed, "S3 sent \(received) bytes of blob \(digest), not \(expected)")
            }
            return nil
        }
        received += Int64(buffer.readableBytes)
        return Data(buffer: buffer)
    }
}

/// `Last-Modified` dates (RFC 9110 IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`).
enum HTTPDate {
    static func parse(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
