import Foundation

/// One tar member for the Python fixture builder; fields mirror `tarfile.TarInfo`.
struct FixtureEntry: Encodable {
    enum Kind: String, Encodable {
        case file, dir, sym, hard, chr, fifo
        /// Header declares `declared` bytes but only 4 KiB of data follow; must be last.
        case lie
    }

    var name: String
    var kind: Kind = .file
    var data: String?
    /// Stream this many zero bytes as the file's content instead of `data`.
    var zeros: Int64?
    var link: String?
    var mode: Int?
    var declared: Int64?
    /// Raw name bytes (hex), for names that are not valid UTF-8.
    var rawNameHex: String?

    static func file(_ name: String, _ data: String = "", mode: Int? = nil) -> Self {
        Self(name: name, data: data, mode: mode)
    }

    static func dir(_ name: String) -> Self { Self(name: name, kind: .dir) }
    static func symlink(_ name: String, to target: String) -> Self { Self(name: name, kind: .sym, link: target) }
    static func hardlink(_ name: String, to target: String) -> Self { Self(name: name, kind: .hard, link: target) }
}

/// A throwaway folder: `input/` holds archives, `store/dest` is the extraction target and
/// `outside/` is where escaping entries would land.
struct Sandbox: ~Copyable {
    let root: URL
    var input: URL { root.appending(path: "input") }
    var store: URL { root.appending(path: "store") }
    var outside: URL { root.appending(path: "outside") }
    var destination: URL { store.appending(path: "dest") }

    init() throws {
        root = FileManager.default.temporaryDirectory.appending(path: "archive-tests-\(UUID().uuidString)")
        for folder in [input, store, outside] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// Builds an archive with Python's tarfile (compression "", "gz", "bz2", "xz" or "zst").
    func archive(
        _ entries: [FixtureEntry], compression: String = "", format: String = "pax", named: String = "fixture"
    ) throws -> URL {
        let suffix = compression.isEmpty ? "tar" : "tar.\(compression)"
        let url = input.appending(path: "\(named).\(suffix)")
        struct Spec: Encodable { var out: String; var compression: String; var format: String; var entries: [FixtureEntry] }
        let spec = try JSONEncoder().encode(Spec(out: url.path, compression: compression, format: format, entries: entries))
        try run("python3", "-c", Self.builder, String(decoding: spec, as: UTF8.self))
        return url
    }

    /// Everything under the sandbox except the fixture archives, as sorted relative paths.
    func leftovers() throws -> [String] {
        let walker = FileManager.default.enumerator(atPath: root.path)
        var found: [String] = []
        while let item = walker?.nextObject() as? String {
            if !item.hasPrefix("input") { found.append(item) }
        }
        return found.sorted()
    }

    func run(_ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/env")
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FixtureError(message: "\(arguments.first ?? "") failed: \(String(decoding: message, as: UTF8.self))")
        }
    }

    private static let builder = #"""
    import io, json, subprocess, sys, tarfile
    spec = json.loads(sys.argv[1])
    fmt = {"pax": tarfile.PAX_FORMAT, "gnu": tarfile.GNU_FORMAT, "ustar": tarfile.USTAR_FORMAT}[spec["format"]]
    comp = spec["compression"]
    out = spec["out"] + (".plain" if comp == "zst" else "")
    extra = {"compresslevel": 9} if comp in ("gz", "bz2") else {}
    mode = "w:" + ("" if comp == "zst" else comp)

    class Zeros:
        def __init__(self, n): self.left = n
        def read(self, n=-1):
            n = self.left if n < 0 else min(n, self.left)
            self.left -= n
            return bytes(n)

    kinds = {"dir": tarfile.DIRTYPE, "sym": tarfile.SYMTYPE, "hard": tarfile.LNKTYPE,
             "chr": tarfile.CHRTYPE, "fifo": tarfile.FIFOTYPE}
    with tarfile.open(out, mode, format=fmt, errors="surrogateescape", **extra) as tar:
        for e in spec["entries"]:
            name = bytes.fromhex(e["rawNameHex"]).decode("utf-8", "surrogateescape") if e.get("rawNameHex") else e["name"]
            info = tarfile.TarInfo(name)
            info.mode = e.get("mode") or 0o644
            kind = e.get("kind", "file")
            body = None
            if kind in kinds:
                info.type = kinds[kind]
                info.linkname = e.get("link") or ""
                info.devmajor, info.devminor = (1, 3) if kind == "chr" else (0, 0)
            elif kind == "lie":
                info.size = e["declared"]
                tar.fileobj.write(info.tobuf(fmt, "utf-8", "surrogateescape"))
                tar.fileobj.write(b"x" * 4096)
                continue
            elif e.get("zeros") is not None:
                info.size, body = e["zeros"], Zeros(e["zeros"])
            else:
                data = (e.get("data") or "").encode()
                info.size, body = len(data), io.BytesIO(data)
            tar.addfile(info, body)
    if comp == "zst":
        subprocess.run(["zstd", "-q", "-f", "--rm", out, "-o", spec["out"]], check=True)
    """#
}

struct FixtureError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
