import PlatformContracts

/// `REPO:TAG` or `REPO@sha256:…` where `REPO` is `<project-id>/<name>`.
struct ArtifactReference: Sendable, CustomStringConvertible {
    /// The repository.
    var repository: String
    /// The tag, if one was given.
    var tag: String?
    /// The digest, if one was given.
    var digest: ContentDigest?

    /// The project id (canonical uppercase) the repository belongs to.
    var project: String { String(repository.split(separator: "/").first ?? "").uppercased() }

    /// The tag or digest to put in a `/manifests/` URL.
    var reference: String { digest?.description ?? tag ?? "latest" }

    var description: String { digest.map { "\(repository)@\($0)" } ?? "\(repository):\(tag ?? "latest")" }

    init(parsing text: String, requireDigest: Bool = false) throws {
        var rest = Substring(text)
        if let at = rest.firstIndex(of: "@") {
            do {
                digest = try ContentDigest(parsing: String(rest[rest.index(after: at)...]))
            } catch {
                throw AppCtlError(.artifactDigestInvalid, "\(text): \(error.message)")
            }
            rest = rest[..<at]
        }
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            tag = String(rest[rest.index(after: colon)...])
            rest = rest[..<colon]
        }
        repository = String(rest)
        guard repository.split(separator: "/").count >= 2, repository == repository.lowercased() else {
            throw AppCtlError(.artifactNameInvalid, "\(text): expected <project-id>/<name>[:tag|@sha256:…] in lowercase")
        }
        if requireDigest, digest == nil, tag == nil {
            throw AppCtlError(.artifactNameInvalid, "\(text): name a tag or a digest")
        }
    }
}
