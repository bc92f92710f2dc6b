import ArchiveImport
import Foundation
import OCIKit
import PlatformContracts

/// Unpacks an OCI image from the platform's content store into a root filesystem.
///
/// Each layer is extracted by ``SafeExtractor`` (no escapes, no devices, size and ratio
/// limits) into its own scratch folder, then merged onto the rootfs applying OCI
/// whiteouts: `.wh.NAME` deletes NAME from the layers below, `.wh..wh..opq` empties its
/// folder first. The merge never follows a symlink: it descends only into real folders it
/// has checked with `lstat`, and replaces whatever else stands in the way.
public struct RootfsUnpacker: Sendable {
    let blobs: any BlobStore
    let limits: ArchiveLimits

    /// Creates an unpacker reading from `blobs`.
    public init(blobs: any BlobStore, limits: ArchiveLimits = .init()) {
        self.blobs = blobs
        self.limits = limits
    }

    /// What the image configuration declares for the process.
    ///
    /// `Entrypoint` and `Cmd` are kept apart: a manifest's `args` replace the image's `Cmd`
    /// and follow its `Entrypoint` (``LaunchSpec/argv(imageEntrypoint:imageCmd:)``).
    public struct ImageProcess: Sendable, Hashable, Codable {
        /// `Entrypoint`.
        public var entrypoint: [String]
        /// `Cmd`.
        public var cmd: [String]
        /// `Env` as `KEY=VALUE`.
        public var environment: [String]
        /// `WorkingDir`, default `/`.
        public var workingDirectory: String

        /// `Entrypoint` + `Cmd`: what runs when neither the manifest's `command` nor its `args` say otherwise.
        public var command: [String] { entrypoint + cmd }

        /// Creates a process description.
        public init(entrypoint: [String], cmd: [String], environment: [String], workingDirectory: String) {
            self.entrypoint = entrypoint
            self.cmd = cmd
            self.environment = environment
            self.workingDirectory = workingDirectory
        }

        /// Creates a process description whose whole command is the entrypoint (no `Cmd` for `args` to replace).
        public init(command: [String], environment: [String], workingDirectory: String) {
            self.init(entrypoint: command, cmd: [], environment: environment, workingDirectory: workingDirectory)
        }

        private enum CodingKeys: String, CodingKey { case entrypoint, cmd, command, environment, workingDirectory }

        /// Decodes a cached `process.json`. One written before the split has only `command`:
        /// it is read as the entrypoint with no cmd, so `args` follow the whole of it.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            if let entrypoint = try c.decodeIfPresent([String].self, forKey: .entrypoint) {
                self.entrypoint = entrypoint
                cmd = try c.decodeIfPresent([String].self, forKey: .cmd) ?? []
            } else {
                entrypoint = try c.decodeIfPresent([String].self, forKey: .command) ?? []
                cmd = []
            }
            environment = try c.decodeIfPresent([String].self, forKey: .environment) ?? []
            workingDirectory = try c.decodeIfPresent(String.self, forKey: .workingDirectory) ?? "/"
        }

        /// Encodes both forms (`command` for servers from before the split sharing the cache).
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(entrypoint, forKey: .entrypoint)
            try c.encode(cmd, forKey: .cmd)
            try c.encode(command, forKey: .command)
            try c.encode(environment, forKey: .environment)
            try c.encode(workingDirectory, forKey: .workingDirectory)
        }

        /// The argv `spec` runs with this image: its `command` (or the entrypoint) and `args`.
        public func argv(for spec: LaunchSpec) -> [String] {
            spec.argv(imageEntrypoint: entrypoint, imageCmd: cmd)
        }

        /// A process environment: a default `PATH` and `HOME`, the image's `Env`, then
        /// `overrides` (the manifest's, substituted), later entries winning.
        public func environment(overriddenBy overrides: [String: String]) -> [String: String] {
            var merged = ["PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/"]
            for entry in environment {
                let parts = entry.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { merged[String(parts[0])] = String(parts[1]) }
            }
            return merged.merging(overrides) { $1 }
        }
    }

    /// Unpacks the image whose manifest (or index) is `digest` into `rootfs`, which must not exist.
    /// - Throws: ``ErrorCode/runtimeStartFailed`` for a missing blob or an unsupported
    ///   layer; ``ErrorCode/archiveUnsafe`` when a layer tries to escape.
    @discardableResult
    public func unpack(_ digest: ContentDigest, into rootfs: URL) async throws -> ImageProcess {
        let manifest = try await imageManifest(digest)
        guard let config = manifest.config else {
            throw PlatformError(.runtimeStartFailed, "image \(digest) has no config")
        }
        let scratch = rootfs.deletingLastPathComponent().appendingPathComponent(".layers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: rootfs, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { FileTree.removeIfPresent(scratch) }
        for (number, layer) in (manifest.layers ?? []).enumerated() {
            guard layer.mediaType.contains("tar") else {
                throw PlatformError(.runtimeStartFailed, "layer \(number) of \(digest) has media type \(layer.mediaType), not a tar")
            }
            let archive = scratch.appendingPathComponent("layer-\(number).tar")
            try await copyBlob(layer.digest, to: archive)
            let extracted = scratch.appendingPathComponent("layer-\(number)")
            do {
                // A layer's absolute symlinks name the image's own root (Debian's /etc/alternatives).
                _ = try SafeExtractor.extract(archive: archive, into: extracted, limits: limits, symlinks: .rootedAtDestination)
            } catch let refusal as ArchiveRefusal {
                throw PlatformError(.archiveUnsafe, "layer \(number) (\(layer.digest)) refused: \(refusal.message)",
                                    details: ["reason": refusal.reason.rawValue, "entry": refusal.entryPath ?? ""])
            }
            try? FileManager.default.removeItem(at: archive)
            try LayerMerge.merge(extracted.path, into: rootfs.path)
        }
        return try await process(of: config.digest)
    }

    func imageManifest(_ digest: ContentDigest) async throws -> ManifestDocument {
        let bytes = try await blobs.readAll(digest)
        let (document, mediaType) = try ManifestDocument.parse(bytes, declared: nil)
        if mediaType == MediaType.imageIndex || mediaType == MediaType.dockerManifestList {
            let pick = (document.manifests ?? []).first { $0.platform.map { $0.os == "linux" && $0.architecture == Self.architecture } ?? false }
                ?? document.manifests?.first
            guard let pick else { throw PlatformError(.runtimeStartFailed, "image index \(digest) lists no manifest") }
            return try await imageManifest(pick.digest)
        }
        return document
    }

    func process(of configDigest: ContentDigest) async throws -> ImageProcess {
        struct ImageConfig: Decodable {
            struct Inner: Decodable {
                var Entrypoint: [String]?
                var Cmd: [String]?
                var Env: [String]?
                var WorkingDir: String?
            }
            var config: Inner?
        }
        let config = (try? JSONDecoder().decode(ImageConfig.self, from: try await blobs.readAll(configDigest)))?.config
        return ImageProcess(entrypoint: config?.Entrypoint ?? [], cmd: config?.Cmd ?? [], environment: config?.Env ?? [],
                            workingDirectory: config?.WorkingDir.flatMap { $0.isEmpty ? nil : $0 } ?? "/")
    }

    func copyBlob(_ digest: ContentDigest, to file: URL) async throws {
        guard FileManager.default.createFile(atPath: file.path, contents: nil), let handle = FileHandle(forWritingAtPath: file.path) else {
            throw PlatformError(.runtimeStartFailed, "cannot write \(file.path)")
        }
        defer { try? handle.close() }
        do {
            for try await chunk in try await blobs.read(digest, range: nil) { try handle.write(contentsOf: chunk) }
        } catch let error as PlatformError where error.code == .blobNotFound {
            throw PlatformError(.runtimeStartFailed, "layer \(digest) is not in the content store")
        }
    }

    static var architecture: String {
        #if arch(arm64)
        "arm64"
        #else
        "amd64"
        #endif
    }
}
