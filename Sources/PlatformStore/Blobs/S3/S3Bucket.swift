import Foundation
import PlatformContracts

/// Where an ``S3BlobStore`` keeps blobs: a bucket at an S3-protocol endpoint, addressed
/// path-style (`http://host:port/bucket/key`), which every S3-compatible server accepts
/// (virtual-host style needs a DNS name per bucket).
///
/// Written as a URL: `s3://BUCKET[/PREFIX]?endpoint=URL&region=REGION[&redirect=SECONDS][&part-size=MIB]`,
/// for example `s3://platform-blobs/prod?endpoint=https://s3.eu-west-1.amazonaws.com&region=eu-west-1`.
/// The keys never appear in it: they come from the environment (see ``init(url:credentials:)``).
public struct S3Bucket: Sendable, Equatable {
    /// `scheme://host[:port]` of the S3 endpoint.
    public var endpoint: URL
    /// The bucket.
    public var name: String
    /// The region requests are signed for (`us-east-1` for most non-AWS servers).
    public var region: String
    /// Keys go under `<prefix>/sha256/…`; empty for the bucket's root.
    public var prefix: String
    /// The access key pair.
    public var credentials: SigV4Credentials
    /// Seconds a pre-signed GET lasts when blob GETs are redirected to the bucket (as
    /// distribution's `redirect` option does); `nil` streams the bytes through platformd.
    public var redirectSeconds: Int?
    /// Bytes per multipart part; blobs larger than one part are uploaded in parts. S3 wants
    /// every part but the last at least 5 MiB.
    public var partSize: Int

    /// The smallest part S3 accepts.
    public static let minimumPartSize = 5 << 20

    /// Creates a bucket description.
    public init(endpoint: URL, name: String, region: String, prefix: String = "", credentials: SigV4Credentials,
                redirectSeconds: Int? = nil, partSize: Int = 8 << 20) {
        self.endpoint = endpoint
        self.name = name
        self.region = region
        self.prefix = prefix.split(separator: "/").joined(separator: "/")
        self.credentials = credentials
        self.redirectSeconds = redirectSeconds
        self.partSize = partSize
    }

    /// Parses an `s3://` URL (see the type's notes).
    /// - Throws: ``ErrorCode/configInvalid`` naming what is wrong.
    public init(url text: String, credentials: SigV4Credentials) throws(PlatformError) {
        guard let url = URLComponents(string: text), url.scheme == "s3", let bucket = url.host, !bucket.isEmpty else {
            throw PlatformError(.configInvalid, "blob store \"\(text)\" is not s3://BUCKET[/PREFIX]?endpoint=URL&region=REGION")
        }
        guard bucket.range(of: "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", options: .regularExpression) != nil else {
            throw PlatformError(.configInvalid, "S3 bucket name \"\(bucket)\" is not 3–63 lower-case letters, digits, dots or hyphens")
        }
        var options: [String: String] = [:]
        for item in url.queryItems ?? [] {
            guard ["endpoint", "region", "redirect", "part-size"].contains(item.name), let value = item.value, !value.isEmpty else {
                throw PlatformError(.configInvalid, "blob store option \"\(item.name)\" is unknown or empty (endpoint, region, redirect, part-size)")
            }
            options[item.name] = value
        }
        guard let endpointText = options["endpoint"], let endpoint = URLComponents(string: endpointText),
              let scheme = endpoint.scheme, ["http", "https"].contains(scheme), endpoint.host?.isEmpty == false,
              endpoint.path.isEmpty || endpoint.path == "/", endpoint.query == nil, let endpointURL = endpoint.url else {
            throw PlatformError(.configInvalid, "the S3 endpoint must be given as endpoint=http(s)://host[:port] without a path")
        }
        guard let region = options["region"] else {
            throw PlatformError(.configInvalid, "the S3 region must be given as region=NAME (us-east-1 for most S3-compatible servers)")
        }
        var redirect: Int?
        if let value = options["redirect"] {
            guard let seconds = Int(value), (1...604_800).contains(seconds) else {
                throw PlatformError(.configInvalid, "redirect=\(value) is not 1…604800 seconds (S3's longest pre-signed URL)")
            }
            redirect = seconds
        }
        var partSize = 8 << 20
        if let value = options["part-size"] {
            guard let mebibytes = Int(value), (5...5120).contains(mebibytes) else {
                throw PlatformError(.configInvalid, "part-size=\(value) is not 5…5120 MiB")
            }
            partSize = mebibytes << 20
        }
        guard !credentials.accessKeyID.isEmpty, !credentials.secretAccessKey.isEmpty else {
            throw PlatformError(.configInvalid, "an S3 blob store needs an access key pair (PLATFORMD_S3_ACCESS_KEY_ID and PLATFORMD_S3_SECRET_ACCESS_KEY)")
        }
        self.init(endpoint: endpointURL.absoluteURL.deletingTrailingSlash, name: bucket, region: region,
                  prefix: url.path, credentials: credentials, redirectSeconds: redirect, partSize: partSize)
    }

    /// `host[:port]` as sent and signed in the `Host` header.
    var host: String {
        let host = endpoint.host ?? ""
        guard let port = endpoint.port else { return host }
        let isDefault = (endpoint.scheme == "http" && port == 80) || (endpoint.scheme == "https" && port == 443)
        return isDefault ? host : "\(host):\(port)"
    }

    /// The object key of a blob: `<prefix>/sha256/ab/<hex>`, the filesystem driver's layout.
    func key(for digest: ContentDigest) -> String {
        let tail = "\(digest.algorithm)/\(digest.hex.prefix(2))/\(digest.hex)"
        return prefix.isEmpty ? tail : "\(prefix)/\(tail)"
    }

    /// The key prefix every blob's key starts with.
    var blobKeyPrefix: String { prefix.isEmpty ? "sha256/" : "\(prefix)/sha256/" }

    /// The wire path of an object (or of the bucket when `key` is nil), encoded once.
    func path(key: String?) -> String {
        SigV4Signer.encodePath(key.map { "/\(name)/\($0)" } ?? "/\(name)")
    }
}

extension URL {
    fileprivate var deletingTrailingSlash: URL {
        let text = absoluteString
        return text.hasSuffix("/") ? URL(string: String(text.dropLast())) ?? self : self
    }
}
