import ArgumentParser
import Foundation
import OCIKit
import PlatformContracts

/// `appctl artifact pull REPO@DIGEST DIR`.
public struct ArtifactPullCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "pull", abstract: "Pull an artifact into an OCI image layout folder (every blob verified by digest).")
    @Argument(help: ArgumentHelp("Source <tenant>/<project>/<name>@sha256:… (or :tag; or <project-id>/<name>…).", valueName: "repo@digest")) var source: String
    @Argument(help: "Destination folder (created; an existing layout gains the image).") var directory: String
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    struct Result: Encodable {
        var repository: String
        var digest: String
        var directory: String
        var blobs: Int
        var bytes: Int64
    }

    /// Pulls.
    public func run(in context: CommandContext) async throws {
        let reference = try ArtifactReference(parsing: source, requireDigest: true)
        let client = RegistryClient(target: try ServerTarget.resolve(global, in: context))
        let layout = try ImageLayout(creating: URL(fileURLWithPath: directory))
        let top = try await client.manifest(reference.repository, reference: reference.reference)
        var manifests: [(Descriptor, Data)] = []
        var blobs: [Descriptor] = []
        var pending = [(Descriptor(mediaType: top.mediaType, digest: top.digest, size: Int64(top.bytes.count)), top.bytes)]
        while let (descriptor, bytes) = pending.popLast() {
            manifests.append((descriptor, bytes))
            let document: ManifestDocument
            do { document = try ManifestDocument.parse(bytes, declared: descriptor.mediaType).0 } catch {
                throw AppCtlError(error.code, error.message)
            }
            blobs += (document.config.map { [$0] } ?? []) + (document.layers ?? [])
            for child in document.manifests ?? [] {
                let fetched = try await client.manifest(reference.repository, reference: child.digest.description)
                pending.append((child, fetched.bytes))
            }
        }
        var unique: [ContentDigest: Descriptor] = [:]
        for blob in blobs where layout.size(of: blob.digest) != blob.size { unique[blob.digest] = blob }
        let total = unique.values.reduce(Int64(0)) { $0 + $1.size }
        let progress = TransferProgress(label: "pull \(reference.repository)", total: total, enabled: global.output == .table && total > 0,
                                        write: context.progress)
        for blob in unique.values.sorted(by: { $0.digest < $1.digest }) {
            try await client.downloadBlob(reference.repository, blob.digest, to: layout.path(of: blob.digest), progress: progress)
        }
        for (descriptor, bytes) in manifests {
            try bytes.write(to: layout.path(of: descriptor.digest))
        }
        var entry = Descriptor(mediaType: top.mediaType, digest: top.digest, size: Int64(top.bytes.count))
        if let tag = reference.tag { entry.annotations = [Annotation.refName: tag] }
        let existing = (try? layout.index()) ?? []
        try layout.writeIndex(existing.filter { $0.digest != top.digest } + [entry])
        let result = Result(repository: reference.repository, digest: top.digest.description, directory: directory, blobs: unique.count, bytes: total)
        context.output(try Renderer(format: global.output).render(result) {
            "Pulled \(reference.repository)@\(top.digest) into \(directory) (\(unique.count) blobs, \(TransferProgress.size(total)))"
        })
    }
}
