/// A member name that has passed lexical validation: relative, no `..`, no empty or `.` parts.
///
/// Validation is purely lexical on purpose: the file system is never consulted, so a symlink
/// planted by an earlier entry cannot influence what a later name is judged to mean. The
/// writer complements this by never following symlinks when it walks these components.
struct EntryPath: Sendable, Hashable, CustomStringConvertible {
    /// Path components, each non-empty and neither `.` nor `..`; empty means the destination itself.
    let components: [String]

    /// Parses an entry name as stored in the archive.
    ///
    /// `./` prefixes and doubled slashes are tolerated because `tar -C dir .` produces them;
    /// a leading `/` and any `..` are refused because they are how entries escape.
    init(archiveName raw: String) throws {
        guard !raw.isEmpty else {
            throw ArchiveRefusal(.malformed, entryPath: raw, "entry has an empty name")
        }
        guard !Self.isAbsolute(raw) else {
            throw ArchiveRefusal(.absolutePath, entryPath: raw, "entry name is absolute")
        }
        var kept: [String] = []
        for part in Self.split(raw) where !Self.isDot(part) {
            guard !Self.isDotDot(part) else {
                throw ArchiveRefusal(.pathTraversal, entryPath: raw, "entry name contains '..'")
            }
            kept.append(part)
        }
        components = kept
    }

    private init(components: [String]) {
        self.components = components
    }

    // Split and compare on UTF-8 bytes, because that is what the kernel does. Swift's String
    // equality and hasPrefix are Unicode-canonical and Character-based: "/\u{301}etc" does not
    // have the prefix "/" to Swift, yet it is an absolute path to the kernel.
    private static func isAbsolute(_ name: String) -> Bool { name.utf8.first == UInt8(ascii: "/") }

    private static func split(_ name: String) -> [String] {
        name.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
            .map { String(decoding: $0, as: UTF8.self) }
    }

    private static func isDot(_ part: String) -> Bool { part.utf8.elementsEqual(".".utf8) }

    private static func isDotDot(_ part: String) -> Bool { part.utf8.elementsEqual("..".utf8) }

    /// True for names such as `./` that denote the destination folder itself.
    var isRoot: Bool { components.isEmpty }

    /// The folders that must exist before this entry can be created.
    var parentComponents: ArraySlice<String> { components.dropLast() }

    /// The final component, created inside the parent folder.
    var leaf: String { components.last ?? "." }

    /// Slash-joined form, for summaries and messages.
    var description: String { components.isEmpty ? "." : components.joined(separator: "/") }

    /// Checks a symlink target and returns where it lands, relative to the destination.
    ///
    /// The target is resolved against the link's own folder. Only *leading* `..` components are
    /// accepted: the link's folder is a real directory chain (the writer never creates entries
    /// through symlinks), so climbing from it is exactly what the kernel will do. A `..` after a
    /// normal component is refused, because that component may itself be a symlink (say
    /// `x -> .`), making `x/..` climb above what lexical resolution predicts.
    func resolveSymlinkTarget(_ target: String) throws -> EntryPath {
        try resolveSymlinkTarget(target, absolute: .insideDestination).resolved
    }

    /// Checks a symlink target under `policy` and returns where it lands and the target to
    /// write: the target itself, or, for an absolute one rooted at the destination, the
    /// relative target that climbs from the link's folder to the destination and descends
    /// from there (``SymlinkTargets/rootedAtDestination``). The rewritten target passes the
    /// same checks as any relative one.
    func resolveSymlinkTarget(_ target: String, absolute policy: SymlinkTargets) throws -> (resolved: EntryPath, written: String) {
        guard Self.isAbsolute(target), policy == .rootedAtDestination else {
            return (try resolveRelativeSymlinkTarget(target), target)
        }
        let below = Self.split(target).filter { !Self.isDot($0) }
        let climb = Array(repeating: "..", count: parentComponents.count)
        let written = (climb + below).joined(separator: "/")
        return (try resolveRelativeSymlinkTarget(written.isEmpty ? "." : written), written.isEmpty ? "." : written)
    }

    private func resolveRelativeSymlinkTarget(_ target: String) throws -> EntryPath {
        let entry = description
        guard !target.isEmpty else {
            throw ArchiveRefusal(.malformed, entryPath: entry, "symlink has an empty target")
        }
        guard !Self.isAbsolute(target) else {
            throw ArchiveRefusal(.linkEscape, entryPath: entry, "symlink target '\(target)' is absolute")
        }
        var resolved = Array(parentComponents)
        var seenNormal = false
        for part in Self.split(target) where !Self.isDot(part) {
            if Self.isDotDot(part) {
                guard !seenNormal else {
                    throw ArchiveRefusal(.linkEscape, entryPath: entry,
                                         "symlink target '\(target)' has '..' after a normal component")
                }
                guard !resolved.isEmpty else {
                    throw ArchiveRefusal(.linkEscape, entryPath: entry,
                                         "symlink target '\(target)' leaves the destination")
                }
                resolved.removeLast()
            } else {
                seenNormal = true
                resolved.append(part)
            }
        }
        return EntryPath(components: resolved)
    }

    /// Checks a hardlink target; tar stores these relative to the archive root, not the link's folder.
    ///
    /// Any failure is reported as `.linkEscape` so callers see one code for "bad link" regardless
    /// of which lexical rule tripped.
    func resolveHardlinkTarget(_ target: String) throws -> EntryPath {
        let resolved: EntryPath
        do {
            resolved = try EntryPath(archiveName: target)
        } catch let refusal as ArchiveRefusal {
            throw ArchiveRefusal(.linkEscape, entryPath: description,
                                 "hardlink target '\(target)' is invalid: \(refusal.message)")
        }
        guard !resolved.isRoot else {
            throw ArchiveRefusal(.linkEscape, entryPath: description, "hardlink targets the destination itself")
        }
        return resolved
    }
}
