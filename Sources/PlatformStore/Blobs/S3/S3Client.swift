import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import PlatformContracts

/// Signed S3 REST calls over AsyncHTTPClient: the few operations a blob store needs
/// (HEAD/GET/PUT/DELETE object, ListObjectsV2, multipart upload), each signed with
/// ``SigV4Signer`` and its payload hashed, so the server checks the body as well as the key.
struct S3Client: Sendable {
    let bucket: S3Bucket
    let http: HTTPClient
    let signer: SigV4Signer
    /// The injected wall clock the signatures are dated by.
    let now: @Sendable () -> Date

    /// A whole-request deadline; parts are at most ``S3Bucket/partSize`` bytes.
    static let timeout = TimeAmount.seconds(120)
    /// The most bytes of a non-streamed answer (XML listings, errors) read into memory.
    static let maxReplyBytes = 16 << 20

    init(bucket: S3Bucket, http: HTTPClient, now: @escaping @Sendable () -> Date) {
        self.bucket = bucket
        self.http = http
        self.signer = SigV4Signer(credentials: bucket.credentials, region: bucket.region, service: "s3")
        self.now = now
    }

    /// An answer with its body read.
    struct Reply: Sendable {
        let status: UInt
        let headers: HTTPHeaders
        let body: Data

        /// The body as text (S3 answers XML).
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Builds and signs a request.
    func request(_ method: HTTPMethod, key: String?, query: [(String, String)] = [], headers extra: [(String, String)] = [],
                 body: Data? = nil) -> HTTPClientRequest {
        let path = bucket.path(key: key)
        let payloadHash = body.map { SigV4Signer.sha256Hex($0) } ?? SigV4Signer.emptyPayloadHash
        let signed = extra + [("host", bucket.host), ("x-amz-content-sha256", payloadHash)]
        let auth = signer.sign(method: method.rawValue, host: bucket.host, path: path, query: query, headers: signed,
                               payloadHash: payloadHash, date: now())
        let queryText = query.isEmpty ? "" : "?" + SigV4Signer.canonicalQuery(query)
        var request = HTTPClientRequest(url: bucket.endpoint.absoluteString + path + queryText)
        request.method = method
        for (name, value) in signed + auth { request.headers.replaceOrAdd(name: name, value: value) }
        if let body {
            request.body = .bytes(ByteBuffer(data: body))
            request.headers.replaceOrAdd(name: "content-length", value: String(body.count))
        }
        return request
    }

    /// Sends a request and reads its answer; a status outside `expected` is an error.
    func send(_ method: HTTPMethod, key: String?, query: [(String, String)] = [], headers: [(String, String)] = [],
              body: Data? = nil, expected: Set<UInt> = [200]) async throws -> Reply {
        let response = try await execute(request(method, key: key, query: query, headers: headers, body: body), method, key)
        let bytes: ByteBuffer
        do {
            bytes = try await response.body.collect(upTo: Self.maxReplyBytes)
        } catch {
            throw PlatformError(.blobStorageFailed, "S3 \(method.rawValue) \(key ?? bucket.name): the answer could not be read: \(error)")
        }
        let reply = Reply(status: response.status.code, headers: response.headers, body: Data(buffer: bytes))
        guard expected.contains(reply.status) else {
            if method == .HEAD, reply.body.isEmpty {
                // A HEAD answer has no body to carry S3's error code; the same object's GET
                // does (a refusal throws it from here). Only on this failure path.
                _ = try await send(.GET, key: key, query: query, headers: [("range", "bytes=0-0")], expected: [200, 206, 404, 416])
            }
            throw failure(reply, method, key)
        }
        return reply
    }

    /// Sends a request and hands back the answer with its body still streaming.
    func open(_ method: HTTPMethod, key: String, headers: [(String, String)]) async throws -> HTTPClientResponse {
        let response = try await execute(request(method, key: key, headers: headers), method, key)
        guard (200..<300).contains(response.status.code) else {
            let body = (try? await response.body.collect(upTo: Self.maxReplyBytes)).map { Data(buffer: $0) } ?? Data()
            throw failure(Reply(status: response.status.code, headers: response.headers, body: body), method, key)
        }
        return response
    }

    private func execute(_ request: HTTPClientRequest, _ method: HTTPMethod, _ key: String?) async throws -> HTTPClientResponse {
        do {
            return try await http.execute(request, timeout: Self.timeout)
        } catch {
            throw PlatformError(.blobStorageFailed, "S3 \(method.rawValue) \(key ?? bucket.name) at \(bucket.host) failed: \(error)",
                                details: ["bucket": bucket.name])
        }
    }

    /// The error for an unexpected answer, naming S3's own error code (`SignatureDoesNotMatch`,
    /// `NoSuchBucket`, `AccessDenied`, …) when the body carries one.
    func failure(_ reply: Reply, _ method: HTTPMethod, _ key: String?) -> PlatformError {
        let code = S3XML.values("Code", in: reply.text).first ?? "HTTP \(reply.status)"
        let message = S3XML.values("Message", in: reply.text).first.map { ": \($0)" } ?? ""
        return PlatformError(.blobStorageFailed, "S3 refused \(method.rawValue) \(key ?? bucket.name) with \(code)\(message)",
                             details: ["bucket": bucket.name, "s3Code": code, "status": String(reply.status)])
    }

    /// A pre-signed GET of an object valid for `seconds`.
    func presignedGet(key: String, seconds: Int) -> URL? {
        URL(string: signer.presignedURL(method: "GET", host: bucket.host, path: bucket.path(key: key), expires: seconds,
                                        date: now(), scheme: bucket.endpoint.scheme ?? "https"))
    }
}

/// The handful of values read out of S3's XML answers. S3 answers are flat and machine
/// written; the values read here (keys under our own prefix, upload ids, tokens, error
/// codes) hold no nested markup, so a tag scan with entity decoding is exact for them.
enum S3XML {
    /// The text of every `<tag>…</tag>` in document order, entities decoded.
    static func values(_ tag: String, in text: String) -> [String] {
        var result: [String] = []
        var rest = text[...]
        let open = "<\(tag)>", close = "</\(tag)>"
        while let start = rest.range(of: open), let end = rest.range(of: close, range: start.upperBound..<rest.endIndex) {
            result.append(decode(String(rest[start.upperBound..<end.lowerBound])))
            rest = rest[end.upperBound...]
        }
        return result
    }

    /// Escapes text for an XML element.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    private static func decode(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&#34;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }
}
