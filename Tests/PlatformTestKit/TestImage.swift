import Crypto
import Foundation
import OCIKit
import PlatformContracts

/// A small OCI image built from busybox-static for runtime tests: layer 1 holds busybox
/// with its applets and `/removed/file`; layer 2 whites out `/removed` and adds
/// `/etc/greeting`, so a correct unpack has the greeting and no `/removed`.
public enum TestImage {
    /// Builds the image into `store` and returns its manifest digest.
    public static func busybox(into store: any BlobStore, scratch: URL) async throws -> ContentDigest {
        let fm = FileManager.default
        let lower = scratch.appendingPathComponent("layer1"), upper = scratch.appendingPathComponent("layer2")
        try fm.createDirectory(at: lower.appendingPathComponent("bin"), withIntermediateDirectories: true)
        try fm.createDirectory(at: lower.appendingPathComponent("removed"), withIntermediateDirectories: true)
        for folder in ["etc", "tmp", "proc", "dev", "sys"] {
            try fm.createDirectory(at: lower.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try fm.copyItem(atPath: "/bin/busybox", toPath: lower.appendingPathComponent("bin/busybox").path)
        for applet in ["sh", "echo", "sleep", "cat", "ls", "env", "httpd", "true", "false", "kill"] {
            try fm.createSymbolicLink(atPath: lower.appendingPathComponent("bin/\(applet)").path, withDestinationPath: "busybox")
        }
        try Data("lower\n".utf8).write(to: lower.appendingPathComponent("removed/file"))
        try fm.createDirectory(at: upper.appendingPathComponent("etc"), withIntermediateDirectories: true)
        try Data("hello from layer 2\n".utf8).write(to: upper.appendingPathComponent("etc/greeting"))
        try Data().write(to: upper.appendingPathComponent(".wh.removed"))
        var layers: [Descriptor] = []
        var diffIDs: [String] = []
        for (index, folder) in [lower, upper].enumerated() {
            let tar = scratch.appendingPathComponent("layer\(index + 1).tar")
            let status = try run("/bin/tar", ["--owner=0", "--group=0", "-C", folder.path, "-cf", tar.path, "."])
            guard status == 0 else { throw TestImageError(message: "tar exited \(status)") }
            let plain = try Data(contentsOf: tar)
            diffIDs.append(digest(plain).description)
            guard try run("/bin/gzip", ["-n", "-f", tar.path]) == 0 else { throw TestImageError(message: "gzip failed") }
            let compressed = try Data(contentsOf: URL(fileURLWithPath: tar.path + ".gz"))
            let info = try await store.put(compressed, expecting: digest(compressed))
            layers.append(Descriptor(mediaType: MediaType.layerGzip, digest: info.digest, size: info.size))
        }
        let config = try JSONSerialization.data(withJSONObject: [
            "architecture": "amd64", "os": "linux",
            "config": ["Env": ["IMAGE_ENV=from-image"], "Cmd": ["/bin/sh", "-c", "echo default command"], "WorkingDir": "/"],
            "rootfs": ["type": "layers", "diff_ids": diffIDs],
        ] as [String: Any], options: [.sortedKeys])
        let configInfo = try await store.put(config, expecting: digest(config))
        let manifest = ManifestDocument(config: Descriptor(mediaType: MediaType.imageConfig, digest: configInfo.digest, size: configInfo.size),
                                        layers: layers)
        let bytes = try JSONEncoder().encode(manifest)
        return try await store.put(bytes, expecting: digest(bytes)).digest
    }

    static func digest(_ data: Data) -> ContentDigest {
        ContentDigest(sha256Bytes: SHA256.hash(data: data))
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// A test image could not be built.
public struct TestImageError: Error, CustomStringConvertible {
    /// What went wrong.
    public let message: String
    /// The message.
    public var description: String { message }

    /// Creates an error.
    public init(message: String) {
        self.message = message
    }
}
