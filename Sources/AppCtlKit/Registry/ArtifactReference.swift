import PlatformContracts

/// `REPO:TAG` or `REPO@sha256:…` where `REPO` is `<tenant>/<project>/<name>` (the tenant's
/// and project's names, what people type) or `<project-id>/<name>` (the id in any case, as
/// `appctl project list` prints it; sent lowercase, as OCI names are). The registry resolves
/// both forms to one repository.
struct ArtifactReference: Sendable, CustomStringConvertible {
    /// The repository as sent to `/v2/` (a project id lowercased).
    var repository: String
    /// The tag, if one was given.
    var tag: String?
    /// The digest, if one was given.
    var digest: ContentDigest?

    /// The project the repository belongs to, as `/v1/projects/{project}` takes it: its id
    /// (canonical uppercase) or `tenant/project`.
    var project: String {
        let components = repository.split(separator: "/")
        if let id = components.first.flatMap({ ULID.canonical($0) }) { return id.description }
        return components.prefix(2).joined(separator: "/")
    }

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
        var components = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let byID = components.first.flatMap { ULID.canonical($0) } != nil
        if byID { components[0] = components[0].lowercased() }
        repository = components.joined(separator: "/")
        guard components.count >= (byID ? 2 : 3), !components.contains(""), repository == repository.lowercased() else {
            throw AppCtlError(.artifactNameInvalid, "\(text): expected <tenant>/<project>/<name>[:tag|@sha256:…] (names, in lowercase) or <project-id>/<name>")
        }
        if requireDigest, digest == nil, tag == nil {
            throw AppCtlError(.artifactNameInvalid, "\(text): name a tag or a digest")
        }
    }
}
