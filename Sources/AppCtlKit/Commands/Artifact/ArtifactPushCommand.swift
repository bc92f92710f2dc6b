import ArchiveImport
import ArgumentParser
import Foundation
import OCIKit
import PlatformContracts

/// `appctl artifact push PATH REPO:TAG`.
public struct ArtifactPushCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "push", abstract: "Push an OCI image layout (folder or oci-archive tar, .gz/.zst) to a repository.",
        discussion: """
            Archives are unpacked with libarchive into a private temporary folder first; entries that would escape it \
            (../, absolute paths, escaping links), device files and decompression bombs are refused (exit 65). \
            Blobs the repository already has are skipped.
            """)
    @Argument(help: "An OCI image layout folder or an oci-archive tar (optionally gzip or zstd compressed).") var path: String
    @Argument(help: ArgumentHelp("Destination <tenant>/<project>/<name>:<tag> (or <project-id>/<name>:<tag>).", valueName: "repo:tag")) var destination: String
    @Option(name: .long, help: ArgumentHelp("Which manifest of the layout (its org.opencontainers.image.ref.name) when it holds several.", valueName: "name"))
    var ref: String?
    @Option(name: .long, help: ArgumentHelp("Refuse archive entries larger than this many MiB.", valueName: "mib")) var maxEntryMib: Int64 = 8192
    @Option(name: .long, help: ArgumentHelp("Refuse archives unpacking to more than this many MiB.", valueName: "mib")) var maxTotalMib: Int64 = 16384
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    struct Result: Encodable {
        var repository: String
        var tag: String
        var digest: String
        var blobsPushed: Int
        var blobsSkipped: Int
        var bytesPushed: Int64
        var bytesPerSecond: Int64
    }

    /// Pushes.
    public func run(in context: CommandContext) async throws {
        let reference = try ArtifactReference(parsing: destination)
        let target = try ServerTarget.resolve(global, in: context)
        var limits = ArchiveLimits()
        limits.maxEntrySize = maxEntryMib << 20
        limits.maxTotalSize = maxTotalMib << 20
        let (layout, cleanup) = try LayoutSource.open(path, limits: limits, context: context, showProgress: global.output == .table)
        defer { cleanup() }
        let manifest: Descriptor
        let closure: (blobs: [Descriptor], manifests: [(Descriptor, Data)])
        do {
            manifest = try layout.manifest(named: ref ?? reference.tag)
            closure = try layout.closure(of: manifest)
        } catch let error as PlatformError {
            throw AppCtlError(error.code, error.message)
        }
        let client = RegistryClient(target: target)
        var unique: [ContentDigest: Descriptor] = [:]
        for blob in closure.blobs { unique[blob.digest] = blob }
        var missing: [Descriptor] = []
        for blob in unique.values.sorted(by: { $0.digest < $1.digest }) {
            guard layout.size(of: blob.digest) == blob.size else {
                throw AppCtlError(.archiveInvalid, "the layout's blob \(blob.digest) is missing or not \(blob.size) bytes")
            }
            if try await !client.hasBlob(reference.repository, blob.digest) { missing.append(blob) }
        }
        let total = missing.reduce(Int64(0)) { $0 + $1.size }
        let progress = TransferProgress(label: "push \(reference.repository)", total: total, enabled: global.output == .table && total > 0,
                                        write: context.progress)
        for blob in missing {
            try await client.uploadBlob(reference.repository, file: layout.path(of: blob.digest), digest: blob.digest, size: blob.size,
                                        progress: progress)
        }
        for (descriptor, bytes) in closure.manifests.dropLast() {
            try await client.putManifest(reference.repository, reference: descriptor.digest.description, bytes: bytes, mediaType: descriptor.mediaType)
        }
        let (top, bytes) = closure.manifests.last!
        let digest = try await client.putManifest(reference.repository, reference: reference.tag ?? "latest", bytes: bytes, mediaType: top.mediaType)
        let result = Result(repository: reference.repository, tag: reference.tag ?? "latest", digest: digest.description,
                            blobsPushed: missing.count, blobsSkipped: unique.count - missing.count, bytesPushed: total,
                            bytesPerSecond: Int64(progress.rate))
        context.output(try Renderer(format: global.output).render(result) {
            "Pushed \(reference.repository):\(result.tag)@\(digest) (\(missing.count) blobs, \(TransferProgress.size(total)), "
                + "\(unique.count - missing.count) already there)"
        })
    }
}

/// Opens what `push` was given: a layout folder as is, an archive unpacked safely into a temporary folder.
enum LayoutSource {
    static func open(_ path: String, limits: ArchiveLimits, context: CommandContext, showProgress: Bool) throws -> (ImageLayout, () -> Void) {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw AppCtlError(.httpNotFound, "no such file or folder: \(path)")
        }
        if isDirectory.boolValue {
            do { return (try ImageLayout(opening: url), {}) } catch {
                throw AppCtlError(error.code, error.message)
            }
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("appctl-import-\(UUID().uuidString)")
        let cleanup = { _ = try? FileManager.default.removeItem(at: scratch) }
        do {
            _ = try SafeExtractor.extract(archive: url, into: scratch, limits: limits)
            return (try ImageLayout(opening: scratch), cleanup)
        } catch let refusal as ArchiveRefusal {
            cleanup()
            let code: ErrorCode = switch refusal.reason {
            case .entryTooLarge, .totalTooLarge, .tooManyEntries, .compressionRatio: .archiveTooLarge
            case .malformed: .archiveInvalid
            default: .archiveUnsafe
            }
            throw AppCtlError(code, "\(path): \(refusal) [\(refusal.reason.rawValue)]; nothing was imported")
        } catch let error as PlatformError {
            cleanup()
            throw AppCtlError(error.code, error.message)
        }
    }
}
