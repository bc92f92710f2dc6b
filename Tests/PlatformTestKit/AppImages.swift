import Foundation

/// The catalog's example images (`examples/<app>/build-image.sh`), built from real packages
/// once per checkout into `.build/app-images/<app>-<tag>` and reused by every test after:
/// the contract tests of each app launch these exact images. The scripts keep their Debian
/// base and downloaded wheels in `PLATFORM_IMAGE_CACHE` (default `/var/cache/platform-images`),
/// so a second run on one machine builds in seconds, while a fresh machine builds from scratch.
public enum AppImages {
    /// The repository root (this file is Tests/PlatformTestKit/AppImages.swift).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The OCI layout of `app` at `tag`, built now if this checkout has none yet. Concurrent
    /// callers (two test processes) are serialized by `flock` on the layout's lock file; a
    /// failed build leaves no layout behind, and its log is in the thrown error.
    /// - Parameter timeout: The bound on a build from scratch (a fresh machine downloads a
    ///   Debian base and the app's wheels).
    public static func layout(_ app: String, tag: String, timeout: Duration = .seconds(1500)) async throws -> URL {
        let folder = repositoryRoot.appendingPathComponent(".build/app-images")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let layout = folder.appendingPathComponent("\(app)-\(tag)")
        let script = repositoryRoot.appendingPathComponent("examples/\(app)/build-image.sh").path
        let log = folder.appendingPathComponent("\(app)-\(tag).log").path
        // The script writes into a fresh folder and the rename publishes it whole.
        let command = """
            set -e
            [ -f '\(layout.path)/index.json' ] && exit 0
            rm -rf '\(layout.path).partial'
            bash '\(script)' '\(layout.path).partial' '\(tag)'
            mv '\(layout.path).partial' '\(layout.path)'
            """
        let child = try ChildProcess("/usr/bin/flock", [folder.appendingPathComponent("\(app).lock").path, "/bin/bash", "-c", command],
                                     outputPath: log)
        guard let status = await child.wait(timeout: timeout) else {
            await child.terminate()
            throw AppImageError(message: "building \(app):\(tag) took over \(timeout); log \(log):\n\(child.output.suffix(4000))")
        }
        guard status == 0, FileManager.default.fileExists(atPath: layout.appendingPathComponent("index.json").path) else {
            throw AppImageError(message: "examples/\(app)/build-image.sh exited \(status); log \(log):\n\(child.output.suffix(4000))")
        }
        return layout
    }
}

/// A catalog image that could not be built.
public struct AppImageError: Error, CustomStringConvertible {
    /// What went wrong, with the end of the build log.
    public let message: String
    public var description: String { message }
}
