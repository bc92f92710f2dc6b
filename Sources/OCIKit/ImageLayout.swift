import Foundation
import PlatformContracts

/// An OCI image layout on disk (`oci-layout`, `index.json`, `blobs/sha256/<hex>`). Blob paths
/// are only ever built from parsed digests, so a layout's own content cannot point outside it.
public struct ImageLayout: Sendable {
    /// The layout's folder.
    public let root: URL

    /// Opens an existing layout.
    /// - Throws: ``ErrorCode/archiveInvalid`` when `oci-layout` or `index.json` is missing or malformed.
    public init(opening root: URL) throws(PlatformError) {
        self.root = root
        guard let marker = try? Data(contentsOf: root.appendingPathComponent("oci-layout")),
              let object = try? JSONSerialization.jsonObject(with: marker) as? [String: Any],
              object["imageLayoutVersion"] as? String == "1.0.0" else {
            throw PlatformError(.archiveInvalid, "\(root.path) is not an OCI image layout (no oci-layout file with imageLayoutVersion 1.0.0)")
        }
        _ = try index()
    }

    /// Creates an empty layout (folders, `oci-layout`, empty `index.json`).
    public init(creating root: URL) throws {
        self.root = root
        try FileManager.default.createDirectory(at: root.appendingPathComponent("blobs/sha256"), withIntermediateDirectories: true)
        try Data(#"{"imageLayoutVersion":"1.0.0"}"#.utf8).write(to: root.appendingPathComponent("oci-layout"))
        if !FileManager.default.fileExists(atPath: root.appendingPathComponent("index.json").path) {
            try writeIndex([])
        }
    }

    /// The manifests `index.json` lists.
    public func index() throws(PlatformError) -> [Descriptor] {
        guard let data = try? Data(contentsOf: root.appendingPathComponent("index.json")) else {
            throw PlatformError(.archiveInvalid, "\(root.path)/index.json is missing")
        }
        do {
            return try JSONDecoder().decode(ManifestDocument.self, from: data).manifests ?? []
        } catch {
            throw PlatformError(.archiveInvalid, "\(root.path)/index.json is not an OCI index: \(error)")
        }
    }

    /// The manifest named `reference` (its `org.opencontainers.image.ref.name`), or the only one.
    public func manifest(named reference: String?) throws(PlatformError) -> Descriptor {
        let entries = try index()
        if let reference, let match = entries.first(where: { $0.annotations?[Annotation.refName] == reference }) { return match }
        if entries.count == 1 { return entries[0] }
        let names = entries.compactMap { $0.annotations?[Annotation.refName] }
        throw PlatformError(.archiveInvalid, entries.isEmpty
            ? "the layout's index.json lists no manifest"
            : "the layout holds \(entries.count) manifests; choose one with --ref (\(names.joined(separator: ", ")))")
    }

    /// Where a blob lives.
    public func path(of digest: ContentDigest) -> URL {
        root.appendingPathComponent("blobs").appendingPathComponent(digest.algorithm).appendingPathComponent(digest.hex)
    }

    /// A blob's bytes (for manifests and configs).
    public func read(_ digest: ContentDigest) throws(PlatformError) -> Data {
        guard let data = try? Data(contentsOf: path(of: digest)) else {
            throw PlatformError(.archiveInvalid, "the layout has no blob \(digest)")
        }
        return data
    }

    /// Size of a blob file, if present.
    public func size(of digest: ContentDigest) -> Int64? {
        ((try? FileManager.default.attributesOfItem(atPath: path(of: digest).path))?[.size] as? NSNumber)?.int64Value
    }

    /// Every blob an image (manifest or index) needs, manifests of an index included, children first.
    public func closure(of descriptor: Descriptor) throws -> (blobs: [Descriptor], manifests: [(Descriptor, Data)]) {
        let bytes = try read(descriptor.digest)
        let (document, mediaType) = try ManifestDocument.parse(bytes, declared: descriptor.mediaType)
        var blobs: [Descriptor] = []
        var manifests: [(Descriptor, Data)] = []
        if MediaType.indexes.contains(mediaType) {
            for child in document.manifests ?? [] {
                let nested = try closure(of: child)
                blobs += nested.blobs
                manifests += nested.manifests
            }
        } else {
            blobs += (document.config.map { [$0] } ?? []) + (document.layers ?? [])
        }
        var descriptor = descriptor
        descriptor.mediaType = mediaType
        manifests.append((descriptor, bytes))
        return (blobs, manifests)
    }

    /// Rewrites `index.json`.
    public func writeIndex(_ manifests: [Descriptor]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(ManifestDocument(index: manifests)).write(to: root.appendingPathComponent("index.json"))
    }
}
