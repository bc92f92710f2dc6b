import ArchiveImport
import Foundation
import FuzzSupport

/// The scratch folder of this process: `archive` (the input), `out/` (the destination) and
/// `outside/` (a sibling that nothing may ever write to).
let scratch: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-tar-\(getpid())")
    try? FileManager.default.removeItem(at: url)
    try! FileManager.default.createDirectory(at: url.appendingPathComponent("outside/inner"), withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(at: FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-tar-\(getpid())")) }
    return url
}()

/// Tar import (plain or compressed) as image layouts and layers are imported, with small limits.
///
/// Properties: nothing is ever written outside the destination (the sibling `outside/` stays
/// as it was, and every extracted path resolves inside `out/`); a refusal leaves no destination
/// behind; the summary counts what is on disk. Each run starts from an empty folder.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let archive = scratch.appendingPathComponent("archive")
    let destination = scratch.appendingPathComponent("out")
    let outside = scratch.appendingPathComponent("outside")
    try? FileManager.default.removeItem(at: destination)
    _ = FileManager.default.createFile(atPath: archive.path, contents: Data(bytes(data, size)))
    defer { try? FileManager.default.removeItem(at: destination) }

    let limits = ArchiveLimits(maxEntrySize: 1 << 20, maxTotalSize: 8 << 20, maxEntries: 256, ratioCheckThreshold: 1 << 20)
    do {
        let summary = try SafeExtractor.extract(archive: archive, into: destination, limits: limits)
        let root = destination.resolvingSymlinksInPath().path
        var files = 0
        if let walker = FileManager.default.enumerator(atPath: destination.path) {
            for case let relative as String in walker {
                let url = destination.appendingPathComponent(relative)
                let resolved = url.resolvingSymlinksInPath().path
                require(resolved == root || resolved.hasPrefix(root + "/") || !FileManager.default.fileExists(atPath: resolved),
                        "\(relative) resolves outside the destination, to \(resolved)")
                var isDirectory: ObjCBool = false
                if (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) == nil,
                   FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                    files += 1
                }
            }
        }
        require(files <= summary.files + summary.hardlinks, "\(files) files on disk, summary says \(summary)")
        require(summary.bytesWritten <= limits.maxTotalSize, "wrote \(summary.bytesWritten) bytes past the limit")
    } catch {
        require(!FileManager.default.fileExists(atPath: destination.path)
                    || ((try? FileManager.default.contentsOfDirectory(atPath: destination.path)) ?? []).isEmpty,
                "a refused archive left files behind: \(error)")
    }
    let escaped = (try? FileManager.default.subpathsOfDirectory(atPath: outside.path)) ?? []
    require(escaped == ["inner"], "the archive wrote outside its destination: \(escaped)")
    return 0
}

/// The executable's entry (SwiftPM links `main` to `<module>_main`): libFuzzer's driver.
@_cdecl("fuzz_tar_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzz(data ?? emptyInput, size) }
}
