import Foundation
import PlatformContracts

/// Unpacked images shared by every instance of the same digest on this host (or shared file
/// system): `<root>/<hex>/rootfs` plus the image's process defaults, unpacked once by
/// ``RootfsUnpacker`` and then only ever mounted read-only. Concurrent launches of one image
/// wait for the same unpack; a half-done unpack is never visible (it is renamed into place).
public actor ImageCache {
    /// An unpacked image.
    public struct Entry: Sendable, Hashable {
        /// The read-only root filesystem.
        public var rootfs: URL
        /// Entrypoint, env and working directory from the image config.
        public var process: RootfsUnpacker.ImageProcess
    }

    let root: URL
    let unpacker: RootfsUnpacker
    private var running: [ContentDigest: Task<Entry, any Error>] = [:]

    /// Folders every sandbox mounts over; created when the image lacks them, since the
    /// rootfs is read-only at run time.
    static let mountPoints = ["proc", "dev", "sys", "tmp", "run"]

    /// Creates a cache under `root`, reading blobs through `unpacker`.
    public init(root: URL, unpacker: RootfsUnpacker) {
        self.root = root
        self.unpacker = unpacker
    }

    /// The unpacked image, unpacking it first when needed.
    public func entry(for digest: ContentDigest) async throws -> Entry {
        let folder = root.appendingPathComponent(digest.hex)
        if let entry = Self.load(folder) { return entry }
        if let task = running[digest] { return try await task.value }
        let task = Task { try await Self.unpack(digest, into: folder, using: unpacker) }
        running[digest] = task
        defer { running[digest] = nil }
        return try await task.value
    }

    static func unpack(_ digest: ContentDigest, into folder: URL, using unpacker: RootfsUnpacker) async throws -> Entry {
        let staging = folder.deletingLastPathComponent().appendingPathComponent(".unpack-\(UUID().uuidString)")
        defer { FileTree.removeIfPresent(staging) }
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        let rootfs = staging.appendingPathComponent("rootfs")
        let process = try await unpacker.unpack(digest, into: rootfs)
        for name in mountPoints {
            var isDirectory: ObjCBool = false
            let path = rootfs.appendingPathComponent(name).path
            if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
            }
        }
        try JSONEncoder().encode(process).write(to: staging.appendingPathComponent("process.json"))
        do {
            try FileManager.default.moveItem(at: staging, to: folder)
        } catch {
            // Another server process won the race; its copy is as good as ours.
            guard let entry = load(folder) else { throw error }
            return entry
        }
        guard let entry = load(folder) else { throw PlatformError(.runtimeStartFailed, "unpacked image \(digest) vanished") }
        return entry
    }

    static func load(_ folder: URL) -> Entry? {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent("process.json").path),
              let process = try? JSONDecoder().decode(RootfsUnpacker.ImageProcess.self, from: data) else { return nil }
        return Entry(rootfs: folder.appendingPathComponent("rootfs"), process: process)
    }
}
