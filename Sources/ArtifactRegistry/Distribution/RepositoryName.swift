import PlatformContracts

/// A repository name as a client writes it, checked against the grammar and not yet
/// resolved. Two forms address the same repository:
/// - `<tenant>/<project>/<path>` with the tenant's and the project's **names**, the way
///   Harbor uses project names: what people type;
/// - `<project-id>/<path>` with the project's ULID (any case where the client allows it;
///   OCI clients only send lowercase), the form stored and shown by the API.
///
/// The first component decides the form: it is an id exactly when it reads as a ULID, and
/// IAM refuses tenant names that read as one, so no name can be read both ways.
public enum RepositoryReference: Sendable, Hashable {
    /// `<project-id>/<path>`.
    case projectID(String, path: String)
    /// `<tenant>/<project>/<path>` by names.
    case named(tenant: String, project: String, path: String)

    /// Parses and checks a name.
    /// - Throws: ``ErrorCode/artifactNameInvalid``.
    public init(_ name: String) throws(PlatformError) {
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        guard name.utf8.count <= 255, let first = components.first else { throw Self.invalid(name) }
        if let id = ULID.canonical(first) {
            guard components.count >= 2, components.dropFirst().allSatisfy(RepositoryName.isValidComponent) else {
                throw Self.invalid(name)
            }
            self = .projectID(id.description, path: components.dropFirst().joined(separator: "/"))
        } else {
            guard components.count >= 3, components.allSatisfy(RepositoryName.isValidComponent) else { throw Self.invalid(name) }
            self = .named(tenant: String(components[0]), project: String(components[1]),
                          path: components.dropFirst(2).joined(separator: "/"))
        }
    }

    /// The project as ``Authorizer/project(_:visibleTo:)`` takes it: the id, or `tenant/project`.
    public var project: String {
        switch self {
        case .projectID(let id, _): id
        case .named(let tenant, let project, _): "\(tenant)/\(project)"
        }
    }

    /// The name within the project.
    public var path: String {
        switch self {
        case .projectID(_, let path), .named(_, _, let path): path
        }
    }

    static func invalid(_ name: String) -> PlatformError {
        PlatformError(.artifactNameInvalid, "repository name \"\(name.prefix(100))\" must be <tenant>/<project>/<name> (names) or <project-id>/<name>, in lowercase ([a-z0-9] with . _ __ - separators)")
    }
}

/// A repository's one identity, whichever form the client used: `<project-id>/<path>` with
/// the project's ULID in lowercase (OCI names are lowercase). Tags, manifests, blob links,
/// uploads, referrers, the trust ledger and `GET /v1/projects/{project}/artifacts` all key
/// by this form, and the API shows it: ids never change or get reused, names are a lookup.
public struct RepositoryName: Sendable, Hashable, CustomStringConvertible {
    /// The canonical name, `<project-id lowercase>/<path>`.
    public let name: String
    /// The owning project's id (canonical uppercase).
    public let projectID: String

    /// Parses a name in the id form (any case of the ULID), as the platform itself stores
    /// and launches images; a `<tenant>/<project>/…` name needs IAM and goes through
    /// ``OCIRegistry/resolve(_:caller:)``.
    /// - Throws: ``ErrorCode/artifactNameInvalid``.
    public init(_ name: String) throws(PlatformError) {
        guard case .projectID(let id, let path) = try RepositoryReference(name) else {
            throw PlatformError(.artifactNameInvalid, "repository name \"\(name.prefix(100))\" must be <project-id>/<name> here")
        }
        self.init(projectID: id, path: path)
    }

    /// The repository `path` of the project `projectID`.
    public init(projectID: String, path: String) {
        self.projectID = projectID
        self.name = "\(projectID.lowercased())/\(path)"
    }

    /// The name.
    public var description: String { name }

    /// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`.
    static func isValidComponent(_ component: Substring) -> Bool {
        let bytes = Array(component.utf8)
        guard let first = bytes.first, let last = bytes.last, isAlphanumeric(first), isAlphanumeric(last) else { return false }
        var index = 0
        while index < bytes.count {
            if isAlphanumeric(bytes[index]) { index += 1; continue }
            var run = index
            while run < bytes.count, !isAlphanumeric(bytes[run]) { run += 1 }
            let separator = bytes[index..<run]
            let allowed = separator.elementsEqual([UInt8(ascii: ".")]) || separator.elementsEqual([UInt8(ascii: "_")])
                || separator.elementsEqual([UInt8(ascii: "_"), UInt8(ascii: "_")]) || separator.allSatisfy { $0 == UInt8(ascii: "-") }
            guard allowed else { return false }
            index = run
        }
        return true
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (97...122).contains(byte) || (48...57).contains(byte)
    }

    /// Whether `tag` is a valid tag: `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`.
    public static func isValidTag(_ tag: String) -> Bool {
        let bytes = Array(tag.utf8)
        guard let first = bytes.first, bytes.count <= 128 else { return false }
        func word(_ byte: UInt8) -> Bool {
            (97...122).contains(byte) || (65...90).contains(byte) || (48...57).contains(byte) || byte == UInt8(ascii: "_")
        }
        return word(first) && bytes.dropFirst().allSatisfy { word($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }
}

/// What a caller wants to do with a repository; each maps to a scope.
public enum RegistryAction: String, Sendable, CaseIterable {
    /// Read manifests, blobs, tags and referrers.
    case pull
    /// Upload blobs and manifests.
    case push
    /// Delete manifests, tags and blobs.
    case delete

    /// The scope the caller's key must carry.
    public var scope: String { "artifacts:repository:\(rawValue)" }
}

/// A repository name resolved for a caller: its one identity and its project, which is
/// within the caller's reach (nothing was decided about actions yet).
public struct ResolvedRepository: Sendable {
    /// The repository's identity (the id form).
    public let repository: RepositoryName
    /// Its project.
    public let project: Project
    /// The name as the client wrote it (either form), for the `Location` and tag-list
    /// answers, so a client keeps the form it chose.
    public let requested: String
}

/// A repository the caller was checked against, with the project it belongs to.
public struct RepositoryAccess: Sendable {
    /// The repository's identity (the id form).
    public let repository: RepositoryName
    /// Its project.
    public let project: Project
    /// The name as the client wrote it.
    public let requested: String
    /// The caller.
    public let caller: Caller
    /// The action the caller was checked for.
    public let action: RegistryAction
    /// The request's correlation id.
    public let requestID: String?
}
