import ArchiveImport
import Foundation
import Testing

/// Extracts and expects `reason`, then checks the refusal left nothing anywhere in the sandbox.
@discardableResult
private func expectRefusal(
    _ reason: ArchiveRefusal.Reason, _ archive: URL, in sandbox: borrowing Sandbox,
    limits: ArchiveLimits = .init(), symlinks: SymlinkTargets = .insideDestination, allowing extra: [String] = [],
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> ArchiveRefusal? {
    let refusal = #expect(throws: ArchiveRefusal.self, sourceLocation: sourceLocation) {
        try SafeExtractor.extract(archive: archive, into: sandbox.destination, limits: limits, symlinks: symlinks)
    }
    #expect(refusal?.reason == reason, "\(refusal.map(String.init(describing:)) ?? "no refusal")",
            sourceLocation: sourceLocation)
    // Only the three empty sandbox folders may remain: no destination, nothing escaped.
    #expect(try sandbox.leftovers() == (["outside", "store"] + extra).sorted(), sourceLocation: sourceLocation)
    return refusal
}

private func contents(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

private func permissions(_ url: URL) throws -> Int {
    try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int ?? -1
}

@Suite struct PathRefusals {
    @Test func dotDotTraversal() throws {
        let box = try Sandbox()
        try expectRefusal(.pathTraversal, box.archive([.file("ok.txt", "fine"), .file("../evil", "x")]), in: box)
        try expectRefusal(.pathTraversal, box.archive([.file("a/b/../../../evil", "x")]), in: box)
    }

    @Test func absolutePath() throws {
        let box = try Sandbox()
        // Aimed at the sandbox rather than /etc: the tests run as root, so a bug must not hurt the host.
        let target = box.outside.appending(path: "evil").path
        try expectRefusal(.absolutePath, box.archive([.file(target, "x")]), in: box)
    }

    /// "/" plus a combining mark is one Character, so Swift's hasPrefix("/") misses it.
    @Test func combiningMarkAfterLeadingSlash() throws {
        let box = try Sandbox()
        try expectRefusal(.absolutePath, box.archive([.file("/\u{301}evil", "x")], named: "name"), in: box)
        try expectRefusal(.linkEscape, box.archive([.symlink("l", to: "/\u{301}tmp")], named: "link"), in: box)
        try expectRefusal(.pathTraversal, box.archive([.file("a/..\u{301}/../evil", "x")], named: "dots"), in: box)
    }

    @Test func invalidUTF8NameIsMalformed() throws {
        let box = try Sandbox()
        try expectRefusal(.malformed, box.archive([FixtureEntry(name: "", rawNameHex: "6261ff")], format: "gnu"), in: box)
    }

    @Test func garbageIsMalformed() throws {
        let box = try Sandbox()
        let junk = box.input.appending(path: "junk.tar.gz")
        try Data(repeating: 0x42, count: 4096).write(to: junk)
        try expectRefusal(.malformed, junk, in: box)
    }
}

@Suite struct LinkRefusals {
    @Test func symlinkClimbingOut() throws {
        let box = try Sandbox()
        try expectRefusal(.linkEscape, box.archive([.dir("d"), .symlink("d/l", to: "../../outside")]), in: box)
    }

    @Test func absoluteSymlinkTarget() throws {
        let box = try Sandbox()
        try expectRefusal(.linkEscape, box.archive([.symlink("l", to: "/tmp")]), in: box)
    }

    /// Policy: entries are never written through a symlink, even one pointing inside.
    @Test func writeThroughInsideSymlink() throws {
        let box = try Sandbox()
        let archive = try box.archive([.dir("sub"), .symlink("l", to: "sub"), .file("l/x", "through")])
        try expectRefusal(.linkEscape, archive, in: box)
    }

    /// `x -> .` is inside, and `x/..` looks inside lexically but is the destination's parent on disk.
    @Test func dotDotAfterSymlinkComponent() throws {
        let box = try Sandbox()
        let archive = try box.archive([.symlink("x", to: "."), .symlink("y", to: "x/../outside")])
        try expectRefusal(.linkEscape, archive, in: box)
    }

    @Test func hardlinks() throws {
        let box = try Sandbox()
        try expectRefusal(.linkEscape, box.archive([.hardlink("h", to: "../outside/x")], named: "out"), in: box)
        try expectRefusal(.linkEscape, box.archive([.hardlink("h", to: "missing")], named: "missing"), in: box)
        try expectRefusal(.linkEscape, box.archive([.symlink("s", to: "."), .hardlink("h", to: "s")], named: "sym"),
                          in: box)
        // Links re-expose content to readers, so they are charged against the total.
        let payload = String(repeating: "a", count: 1000)
        let fanOut = try box.archive([.file("f", payload), .hardlink("h1", to: "f"), .hardlink("h2", to: "f")], named: "fan")
        try expectRefusal(.totalTooLarge, fanOut, in: box, limits: ArchiveLimits(maxTotalSize: 2500))
    }

    @Test func characterDeviceAndFIFO() throws {
        let box = try Sandbox()
        try expectRefusal(.specialFile, box.archive([FixtureEntry(name: "null", kind: .chr)], named: "chr"), in: box)
        try expectRefusal(.specialFile, box.archive([FixtureEntry(name: "pipe", kind: .fifo)], named: "fifo"), in: box)
    }
}

@Suite struct SizeRefusals {
    /// The header claims 10 GB but only 4 KiB follow: refused from the header alone.
    @Test func declaredSizeBomb() throws {
        let box = try Sandbox()
        let archive = try box.archive([.file("small", "ok"), FixtureEntry(name: "huge", kind: .lie, declared: 10_000_000_000)],
                                      compression: "gz")
        let started = ContinuousClock.now
        let refusal = try expectRefusal(.entryTooLarge, archive, in: box)
        #expect(refusal?.entryPath == "huge")
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func ratioBomb() throws {
        let box = try Sandbox()
        let archive = try box.archive([FixtureEntry(name: "zeros", zeros: 100 << 20)], compression: "gz")
        let compressed = try FileManager.default.attributesOfItem(atPath: archive.path)[.size] as? Int ?? 0
        #expect(compressed < 1 << 20)
        try expectRefusal(.compressionRatio, archive, in: box, limits: ArchiveLimits(maxCompressionRatio: 100))
    }

    @Test func totalAndCountLimits() throws {
        let box = try Sandbox()
        let payload = String(repeating: "a", count: 1000)
        let entries = (0..<5).map { FixtureEntry.file("f\($0)", payload) }
        let archive = try box.archive(entries)
        try expectRefusal(.totalTooLarge, archive, in: box, limits: ArchiveLimits(maxTotalSize: 2500))
        try expectRefusal(.tooManyEntries, archive, in: box, limits: ArchiveLimits(maxEntries: 3))
        try expectRefusal(.entryTooLarge, archive, in: box, limits: ArchiveLimits(maxEntrySize: 999))
    }
}

@Suite struct Extraction {
    static let manifest = #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}"#

    /// A minimal OCI image layout whose blob is named by its real digest.
    static func ociLayout(in box: borrowing Sandbox) throws -> (entries: [FixtureEntry], digest: String) {
        let blob = box.input.appending(path: "blob")
        try Data(manifest.utf8).write(to: blob)
        let digest = try shell("sha256sum \(blob.path) | cut -d' ' -f1")
        let index = #"{"schemaVersion":2,"manifests":[{"digest":"sha256:\#(digest)","size":\#(manifest.utf8.count)}]}"#
        return ([.file("oci-layout", #"{"imageLayoutVersion":"1.0.0"}"#), .file("index.json", index),
                 .dir("blobs"), .dir("blobs/sha256"), .file("blobs/sha256/\(digest)", manifest)], digest)
    }

    static func shell(_ command: String) throws -> String {
        let process = Process()
        process.executableURL = URL(filePath: "/bin/sh")
        process.arguments = ["-c", command]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(arguments: ["", "gz", "bz2", "xz", "zst"])
    func ociLayoutExtracts(compression: String) throws {
        let box = try Sandbox()
        let (entries, digest) = try Self.ociLayout(in: box)
        var reported: [Int64] = []
        let summary = try SafeExtractor.extract(archive: box.archive(entries, compression: compression),
                                                into: box.destination) { reported.append($0) }
        #expect(summary.files == 3 && summary.directories == 2 && summary.entries == 5)
        #expect(reported.last == summary.bytesWritten && summary.bytesWritten > 0)
        let blob = box.destination.appending(path: "blobs/sha256/\(digest)")
        #expect(try contents(blob) == Self.manifest)
        #expect(try contents(box.destination.appending(path: "oci-layout")).contains("1.0.0"))
        #expect(try permissions(blob) == 0o644)
    }

    /// bsdtar writes `./`-prefixed names and a `.` entry; both must be accepted.
    @Test func bsdtarDotPrefixedZstd() throws {
        let box = try Sandbox()
        let (entries, digest) = try Self.ociLayout(in: box)
        let tree = box.root.appending(path: "tree")
        let plain = try box.archive(entries, named: "plain")
        try box.run("bsdtar", "-xf", plain.path, "-C", box.input.path)
        try FileManager.default.moveItem(at: box.input.appending(path: "blobs"), to: tree)
        let archive = box.input.appending(path: "layout.tar.zst")
        try box.run("bsdtar", "--zstd", "-cf", archive.path, "-C", tree.path, ".")
        try FileManager.default.removeItem(at: tree)
        let summary = try SafeExtractor.extract(archive: archive, into: box.destination)
        #expect(summary.files == 1)
        #expect(try contents(box.destination.appending(path: "sha256/\(digest)")) == Self.manifest)
    }

    @Test func insideLinksModesAndReplacement() throws {
        let box = try Sandbox()
        let archive = try box.archive([
            .file("bin/tool", "#!/bin/sh", mode: 0o4777), .file("doc.txt", "first"), .file("doc.txt", "second"),
            .symlink("bin/up", to: "../doc.txt"), .hardlink("copy.txt", to: "doc.txt"),
            .symlink("swap", to: "bin"), .file("swap", "now a file"), .file("caf\u{e9}.txt", "unicode"),
        ])
        let summary = try SafeExtractor.extract(archive: archive, into: box.destination)
        let dest = box.destination
        #expect(summary.symlinks == 2 && summary.hardlinks == 1 && summary.files == 5)
        #expect(try permissions(dest.appending(path: "bin/tool")) == 0o755)
        #expect(try contents(dest.appending(path: "doc.txt")) == "second")
        #expect(try contents(dest.appending(path: "bin/up")) == "second")
        #expect(try contents(dest.appending(path: "copy.txt")) == "second")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dest.appending(path: "bin/up").path) == "../doc.txt")
        #expect(try contents(dest.appending(path: "swap")) == "now a file")
        #expect(try contents(dest.appending(path: "caf\u{e9}.txt")) == "unicode")
    }

    /// GNU/ustar names are raw bytes rather than pax's UTF-8 records; both must round-trip.
    @Test func unicodeNameInGNUFormat() throws {
        let box = try Sandbox()
        let archive = try box.archive([.file("d\u{e9}j\u{e0}/\u{1F600}.txt", "ok")], format: "gnu")
        _ = try SafeExtractor.extract(archive: archive, into: box.destination)
        #expect(try contents(box.destination.appending(path: "d\u{e9}j\u{e0}/\u{1F600}.txt")) == "ok")
    }

    /// A 4 MiB file holding 5 bytes: holes are recreated, and only real data counts toward limits.
    @Test func sparseFileKeepsHoles() throws {
        let box = try Sandbox()
        let image = box.root.appending(path: "s.img")
        let archive = box.input.appending(path: "sparse.tar")
        _ = try Self.shell("""
            truncate -s 4M \(image.path) && printf hello | dd of=\(image.path) bs=1 seek=1048576 conv=notrunc 2>/dev/null \
            && bsdtar --read-sparse --format pax -cf \(archive.path) -C \(box.root.path) s.img
            """)
        // Holes are charged against the total: a consumer reading the file pays for them.
        try expectRefusal(.totalTooLarge, archive, in: box, limits: ArchiveLimits(maxTotalSize: (4 << 20) - 1),
                          allowing: ["s.img"])
        let summary = try SafeExtractor.extract(archive: archive, into: box.destination,
                                                limits: ArchiveLimits(maxTotalSize: 4 << 20))
        #expect(summary.bytesWritten < 1 << 20)
        let extracted = box.destination.appending(path: "s.img")
        #expect(try Data(contentsOf: extracted) == Data(contentsOf: image))
    }

    @Test func existingDestination() throws {
        let box = try Sandbox()
        let archive = try box.archive([.file("../evil", "x")])
        try FileManager.default.createDirectory(at: box.destination, withIntermediateDirectories: true)
        #expect(throws: ArchiveRefusal.self) { try SafeExtractor.extract(archive: archive, into: box.destination) }
        // A destination that existed (empty) beforehand is emptied, not removed.
        #expect(try FileManager.default.contentsOfDirectory(atPath: box.destination.path).isEmpty)
        try Data().write(to: box.destination.appending(path: "taken"))
        #expect(throws: POSIXError.self) { try SafeExtractor.extract(archive: archive, into: box.destination) }
        #expect(FileManager.default.fileExists(atPath: box.destination.appending(path: "taken").path))
    }

    @Test func isArchive() throws {
        let box = try Sandbox()
        #expect(SafeExtractor.isArchive(try box.archive([.file("a", "b")])))
        #expect(!SafeExtractor.isArchive(box.input))
        #expect(!SafeExtractor.isArchive(box.input.appending(path: "missing.tar")))
    }
}

/// Image layers: an absolute symlink names the image's own root (Debian's
/// `/etc/alternatives/awk -> /usr/bin/mawk`) and is written as the relative target that lands
/// there, so the host never follows it out of the rootfs; an upload still refuses it.
@Suite struct RootedSymlinks {
    @Test func absoluteTargetsAreRootedAtTheDestination() throws {
        let box = try Sandbox()
        let archive = try box.archive([
            .file("usr/bin/mawk", "awk"), .symlink("etc/alternatives/awk", to: "/usr/bin/mawk"),
            .symlink("usr/bin/awk", to: "/etc/alternatives/awk"), .symlink("root", to: "/"), .symlink("etc/top", to: "//./"),
            // Aimed at the sandbox's outside folder: followed on the host it would reach it.
            .symlink("escape", to: box.outside.appending(path: "secret").path),
        ])
        let summary = try SafeExtractor.extract(archive: archive, into: box.destination, symlinks: .rootedAtDestination)
        let dest = box.destination
        let link = { (path: String) in try FileManager.default.destinationOfSymbolicLink(atPath: dest.appending(path: path).path) }
        #expect(summary.symlinks == 5)
        #expect(try link("etc/alternatives/awk") == "../../usr/bin/mawk")
        #expect(try link("usr/bin/awk") == "../../etc/alternatives/awk")
        #expect(try link("root") == ".")
        #expect(try link("etc/top") == "..")
        #expect(try contents(dest.appending(path: "usr/bin/awk")) == "awk")  // followed on the host: the image's file
        // The host path became a path under the destination: nothing outside is reachable through it.
        #expect(try link("escape") == String(box.outside.appending(path: "secret").path.drop { $0 == "/" }))
    }

    @Test func aRootedTargetStillCannotClimbOut() throws {
        let box = try Sandbox()
        try expectRefusal(.linkEscape, box.archive([.symlink("l", to: "/usr/../../etc")]), in: box, symlinks: .rootedAtDestination)
        // Without the image policy an absolute target is refused, as for an uploaded layout.
        try expectRefusal(.linkEscape, box.archive([.symlink("etc/l", to: "/usr/bin/mawk")], named: "upload"), in: box)
    }
}
