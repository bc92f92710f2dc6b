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

    /// The OCI layout of `app` at `tag`, built now by `scripts/images/app-layout.sh` if this
    /// checkout has none yet (`scripts/test.sh` builds them while Swift compiles, so a test
    /// usually finds them). Concurrent callers (two test lanes, the prebuild) are serialized
    /// by the script's `flock`; a failed build leaves no layout behind, and its log is in the
    /// thrown error.
    /// - Parameter timeout: The bound on a build from scratch (a fresh machine downloads a
    ///   Debian base and the app's wheels).
    public static func layout(_ app: String, tag: String, timeout: Duration = .seconds(1500)) async throws -> URL {
        let folder = repositoryRoot.appendingPathComponent(".build/app-images")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let layout = folder.appendingPathComponent("\(app)-\(tag)")
        let log = folder.appendingPathComponent("\(app)-\(tag).log").path
        let script = repositoryRoot.appendingPathComponent("scripts/images/app-layout.sh").path
        let child = try ChildProcess("/bin/bash", [script, app, tag], outputPath: folder.appendingPathComponent("\(app)-\(tag).call.log").path)
        guard let status = await child.wait(timeout: timeout) else {
            await child.terminate()
            throw AppImageError(message: "building \(app):\(tag) took over \(timeout); log \(log):\n\(Self.tail(of: log))")
        }
        guard status == 0, FileManager.default.fileExists(atPath: layout.appendingPathComponent("index.json").path) else {
            throw AppImageError(message: "scripts/images/app-layout.sh \(app) \(tag) exited \(status): \(child.output)log \(log):\n\(Self.tail(of: log))")
        }
        return layout
    }

    private static func tail(of log: String) -> String {
        String(((try? String(contentsOfFile: log, encoding: .utf8)) ?? "(no log)").suffix(4000))
    }
}

/// A catalog image that could not be built.
public struct AppImageError: Error, CustomStringConvertible {
    /// What went wrong, with the end of the build log.
    public let message: String
    public var description: String { message }
}
