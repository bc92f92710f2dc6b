import PlatformContracts

/// A repository name, `<project>/<path>`: the first component is the owning project's id
/// in lowercase (OCI names are lowercase; project ids are case-insensitive ULIDs), the rest
/// follows the distribution spec's grammar.
public struct RepositoryName: Sendable, Hashable, CustomStringConvertible {
    /// The whole name as clients write it.
    public let name: String
    /// The owning project's id (canonical uppercase).
    public let projectID: String

    /// Parses and checks a name.
    /// - Throws: ``ErrorCode/artifactNameInvalid``.
    public init(_ name: String) throws(PlatformError) {
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        guard name.utf8.count <= 255, components.count >= 2, components.allSatisfy(Self.isValidComponent) else {
            throw PlatformError(.artifactNameInvalid, "repository name \"\(name.prefix(100))\" must be <project-id>/<name> in lowercase ([a-z0-9] with . _ __ - separators)")
        }
        self.name = name
        self.projectID = components[0].uppercased()
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

/// A repository the caller was checked against, with the project it belongs to.
public struct RepositoryAccess: Sendable {
    /// The repository.
    public let repository: RepositoryName
    /// Its project.
    public let project: Project
    /// The caller.
    public let caller: Caller
    /// The action the caller was checked for.
    public let action: RegistryAction
    /// The request's correlation id.
    public let requestID: String?
}
