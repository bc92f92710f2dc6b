import Crypto
import Foundation
import PlatformContracts

/// The keys a request is signed with. A `sessionToken` is present for temporary
/// (STS / instance-role) credentials; AWS rejects such requests unless the token is sent
/// and signed, so ``SigV4Signer`` adds it for you.
public struct SigV4Credentials: Sendable, Equatable {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

/// AWS Signature Version 4 (`AWS4-HMAC-SHA256`), with which ``S3BlobStore`` signs every
/// request it sends over AsyncHTTPClient (and pre-signs blob GET redirects).
///
/// Pure value logic with no I/O and no clock of its own: every step takes the signing
/// date, so the steps can be checked one by one against AWS's published vectors
/// (canonical request → string to sign → signature → `Authorization`).
///
/// Paths are the path **as sent on the wire** (already percent-encoded where needed):
/// - ``PathStyle/s3``: S3 signs the wire path verbatim (encoded once, never
///   normalised, so `a//b` and `a/./b` are distinct keys). Build it from an object key
///   with ``encodePath(_:)``.
/// - ``PathStyle/normalized``: every other service removes `.`/`..`/empty segments and
///   then URI-encodes each segment of the wire path again (AWS's "double encoding").
///   This is what the generic SigV4 test suite expects.
public struct SigV4Signer: Sendable {
    /// How the canonical URI is derived from the request path; see the type's notes.
    public enum PathStyle: Sendable, Equatable { case s3, normalized }

    public static let algorithm = "AWS4-HMAC-SHA256"
    /// Payload hash for query-string auth and for bodies the caller chooses not to hash;
    /// S3 accepts it as the `x-amz-content-sha256` value over TLS.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// SHA-256 of the empty body, the payload hash of every GET/HEAD/DELETE.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    public let credentials: SigV4Credentials
    public let region: String
    public let service: String
    public let pathStyle: PathStyle

    /// `pathStyle` defaults to ``PathStyle/s3`` for service `s3` and to
    /// ``PathStyle/normalized`` otherwise, matching what each service verifies.
    public init(credentials: SigV4Credentials, region: String, service: String, pathStyle: PathStyle? = nil) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.pathStyle = pathStyle ?? (service == "s3" ? .s3 : .normalized)
    }

    // MARK: Encoding

    /// RFC 3986 percent-encoding as SigV4 defines it: only `A-Z a-z 0-9 - . _ ~` stay
    /// literal, everything else becomes `%XX` (upper-case hex) of its UTF-8 bytes. Unlike
    /// `addingPercentEncoding`, this never leaves `+`, `=`, `&` or `$` alone.
    public static func uriEncode(_ value: String, keepingSlash: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepingSlash:
                out.append("/")
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    /// The wire path for an unencoded S3 object path (`/photos/my file.jpg` →
    /// `/photos/my%20file.jpg`); send this exact string and sign it with ``PathStyle/s3``.
    public static func encodePath(_ decodedPath: String) -> String {
        let encoded = uriEncode(decodedPath, keepingSlash: true)
        return encoded.hasPrefix("/") ? encoded : "/" + encoded
    }

    /// The canonical URI line for a wire path under this signer's ``pathStyle``.
    public func canonicalURI(_ path: String) -> String {
        switch pathStyle {
        case .s3:
            return path.isEmpty ? "/" : path
        case .normalized:
            var segments: [Substring] = []
            for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
                if segment == "." { continue }
                if segment == ".." { _ = segments.popLast(); continue }
                segments.append(segment)
            }
            let joined = segments.map { Self.uriEncode(String($0)) }.joined(separator: "/")
            return "/" + joined + (path.hasSuffix("/") && !segments.isEmpty ? "/" : "")
        }
    }

    // MARK: Steps

    /// Canonical query string: names and values encoded, sorted by encoded name then
    /// value, `name=value` joined with `&` (a valueless parameter is `name=`).
    public static func canonicalQuery(_ query: [(String, String)]) -> String {
        let encoded: [(name: String, value: String)] = query.map { (uriEncode($0.0), uriEncode($0.1)) }
        // Encoded strings are ASCII, so `<` is the byte order AWS sorts by.
        let sorted = encoded.sorted { (a, b) -> Bool in a.name == b.name ? a.value < b.value : a.name < b.name }
        return sorted.map { (item) -> String in item.name + "=" + item.value }.joined(separator: "&")
    }

    /// Headers as SigV4 sees them: names lower-cased, values trimmed with inner runs of
    /// whitespace collapsed, repeated names joined with `,` in the order given, sorted.
    static func canonicalHeaders(_ headers: [(String, String)]) -> [(name: String, value: String)] {
        var merged: [String: [String]] = [:]
        for (name, value) in headers {
            let clean = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
            merged[name.lowercased(), default: []].append(clean)
        }
        return merged.keys.sorted().map { ($0, merged[$0, default: []].joined(separator: ",")) }
    }

    /// The `SignedHeaders` list (`host;x-amz-date;…`) for these headers.
    public static func signedHeaders(_ headers: [(String, String)]) -> String {
        canonicalHeaders(headers).map(\.name).joined(separator: ";")
    }

    /// Step 1. Every header passed here is signed, so pass only what will be sent.
    public func canonicalRequest(
        method: String, path: String, query: [(String, String)], headers: [(String, String)], payloadHash: String
    ) -> String {
        let canonical = Self.canonicalHeaders(headers)
        return [
            method.uppercased(),
            canonicalURI(path),
            Self.canonicalQuery(query),
            canonical.map { "\($0.name):\($0.value)\n" }.joined(),
            canonical.map(\.name).joined(separator: ";"),
            payloadHash,
        ].joined(separator: "\n")
    }

    /// `<date>/<region>/<service>/aws4_request`: what the derived key is valid for.
    public func credentialScope(date: Date) -> String {
        "\(Self.dateStamp(date))/\(region)/\(service)/aws4_request"
    }

    /// Step 2.
    public func stringToSign(canonicalRequest: String, date: Date) -> String {
        [Self.algorithm, Self.amzDate(date), credentialScope(date: date), Self.sha256Hex(Data(canonicalRequest.utf8))]
            .joined(separator: "\n")
    }

    /// Step 3: the secret is never used directly, only this per-day/region/service key.
    public func signingKey(date: Date) -> SymmetricKey {
        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [Self.dateStamp(date), region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    /// Step 4: lower-case hex HMAC of the string to sign.
    public func signature(stringToSign: String, date: Date) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: signingKey(date: date)).lowercaseHex
    }

    // MARK: Whole requests

    /// Header auth. Signs `headers` plus `host` (unless given), `x-amz-date` and, for
    /// temporary credentials, `x-amz-security-token`; returns the headers the caller must
    /// add (all but `host`). For S3 the caller must also send and pass
    /// `x-amz-content-sha256` (the body's SHA-256 hex, or ``unsignedPayload``), which S3
    /// requires on every request; `payloadHash` must equal it.
    public func sign(
        method: String, host: String, path: String, query: [(String, String)] = [],
        headers: [(String, String)], payloadHash: String, date: Date
    ) -> [(String, String)] {
        let reserved: Set<String> = ["x-amz-date", "x-amz-security-token", "authorization"]
        var added = [("x-amz-date", Self.amzDate(date))]
        if let token = credentials.sessionToken { added.append(("x-amz-security-token", token)) }
        var signed = headers.filter { !reserved.contains($0.0.lowercased()) } + added
        if !signed.contains(where: { $0.0.lowercased() == "host" }) { signed.append(("host", host)) }
        let request = canonicalRequest(method: method, path: path, query: query, headers: signed, payloadHash: payloadHash)
        let authorization = "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(credentialScope(date: date)), "
            + "SignedHeaders=\(Self.signedHeaders(signed)), "
            + "Signature=\(signature(stringToSign: stringToSign(canonicalRequest: request, date: date), date: date))"
        return added + [("Authorization", authorization)]
    }

    /// Query-string auth (a presigned URL) valid for `expires` seconds (S3 allows up to
    /// 604800). Only `host` is signed and the payload is ``unsignedPayload``, so anyone
    /// holding the URL can send any body; keep `expires` short for PUTs.
    public func presignedURL(
        method: String, host: String, path: String, query: [(String, String)] = [],
        expires: Int, date: Date, scheme: String = "https"
    ) -> String {
        var items = query + [
            ("X-Amz-Algorithm", Self.algorithm),
            ("X-Amz-Credential", "\(credentials.accessKeyID)/\(credentialScope(date: date))"),
            ("X-Amz-Date", Self.amzDate(date)),
            ("X-Amz-Expires", String(expires)),
            ("X-Amz-SignedHeaders", "host"),
        ]
        if let token = credentials.sessionToken { items.append(("X-Amz-Security-Token", token)) }
        let request = canonicalRequest(
            method: method, path: path, query: items, headers: [("host", host)], payloadHash: Self.unsignedPayload)
        let sig = signature(stringToSign: stringToSign(canonicalRequest: request, date: date), date: date)
        return "\(scheme)://\(host)\(path.isEmpty ? "/" : path)?\(Self.canonicalQuery(items))&X-Amz-Signature=\(sig)"
    }

    // MARK: Helpers

    /// Lower-case hex SHA-256, the form SigV4 uses for payload and request hashes.
    public static func sha256Hex(_ data: Data) -> String { SHA256.hash(data: data).lowercaseHex }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC: the platform's ``Timestamp`` (computed arithmetically,
    /// so no locale, calendar or time-zone setting of the host can change it) without separators.
    public static func amzDate(_ date: Date) -> String {
        let seconds = UInt64(max(0, date.timeIntervalSince1970.rounded(.down)))
        let text = Timestamp(millisecondsSinceEpoch: seconds * 1000).rfc3339  // 2015-08-30T12:36:00.000Z
        return String(text.prefix(19).filter { $0 != "-" && $0 != ":" }) + "Z"
    }

    /// `yyyyMMdd` in UTC, the date in the credential scope.
    public static func dateStamp(_ date: Date) -> String { String(amzDate(date).prefix(8)) }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
