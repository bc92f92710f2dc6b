import Crypto
import Foundation
import PlatformContracts

/// The digests `appctl contract check` records: `sha256:<hex>` of one file's bytes, or of a
/// folder as a tree. The tree digest hashes, for each regular file in byte order of its
/// relative path, `path NUL size NUL bytes`, so a renamed, added, removed or changed file
/// changes the digest, and two checkouts with the same files agree whatever their mtimes.
enum ContractDigest {
    /// Folders and suffixes that using a tree in place leaves behind (Python caches and
    /// builds, ruff's cache): not part of what was generated, so not drift.
    static let ignoredNames: Set<String> = ["__pycache__", "build", "dist", ".ruff_cache", ".DS_Store"]
    static let ignoredSuffixes = [".egg-info", ".pyc"]

    /// `sha256:<hex>` of `data`.
    static func of(_ data: Data) -> String {
        "sha256:" + SHA256.hash(data: data).lowercaseHex
    }

    /// The tree digest of `folder` (only files whose relative path `include` accepts), or
    /// `nil` when the folder does not exist.
    static func tree(_ folder: URL, include: (String) -> Bool = { _ in true }) -> String? {
        guard let files = files(under: folder) else { return nil }
        var hasher = SHA256()
        for (relative, url) in files where include(relative) {
            let bytes = (try? Data(contentsOf: url)) ?? Data()
            hasher.update(data: Data(relative.utf8))
            hasher.update(data: Data([0]))
            hasher.update(data: Data(String(bytes.count).utf8))
            hasher.update(data: Data([0]))
            hasher.update(data: bytes)
        }
        return "sha256:" + hasher.finalize().lowercaseHex
    }

    /// Regular files below `folder` by relative path (byte order), skipping ``ignoredNames``
    /// and ``ignoredSuffixes``; `nil` when `folder` is not a directory.
    static func files(under folder: URL) -> [(String, URL)]? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
        var found: [(String, URL)] = []
        func walk(_ url: URL, _ prefix: String) {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            for name in names where !ignoredNames.contains(name) && !ignoredSuffixes.contains(where: { name.hasSuffix($0) }) {
                let child = url.appendingPathComponent(name)
                let relative = prefix.isEmpty ? name : "\(prefix)/\(name)"
                let values = try? child.resourceValues(forKeys: [.isDirectoryKey, .isRegularFileKey, .isSymbolicLinkKey])
                if values?.isSymbolicLink == true { continue }
                if values?.isDirectory == true { walk(child, relative) } else if values?.isRegularFile == true { found.append((relative, child)) }
            }
        }
        walk(folder, "")
        return found.sorted { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
    }

    /// The relative paths whose bytes differ between two trees (present in one only, or
    /// changed), for the report; at most `limit`.
    static func differences(_ left: URL, _ right: URL, limit: Int = 5) -> [String] {
        let a = Dictionary(files(under: left) ?? [], uniquingKeysWith: { first, _ in first })
        let b = Dictionary(files(under: right) ?? [], uniquingKeysWith: { first, _ in first })
        var differing: [String] = []
        for path in Set(a.keys).union(b.keys).sorted() {
            guard let x = a[path], let y = b[path], (try? Data(contentsOf: x)) == (try? Data(contentsOf: y)) else {
                differing.append(path)
                if differing.count == limit { break }
                continue
            }
        }
        return differing
    }
}
