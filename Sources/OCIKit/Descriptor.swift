import Foundation
import PlatformContracts

/// An OCI content descriptor: what a manifest says about one blob or manifest.
public struct Descriptor: Codable, Sendable, Hashable {
    /// The content's media type.
    public var mediaType: String
    /// Its digest.
    public var digest: ContentDigest
    /// Its size in bytes.
    public var size: Int64
    /// The artifact type, on referrers and index entries.
    public var artifactType: String?
    /// Annotations.
    public var annotations: [String: String]?
    /// The platform, on index entries.
    public var platform: Platform?

    /// Creates a descriptor.
    public init(mediaType: String, digest: ContentDigest, size: Int64, artifactType: String? = nil,
                annotations: [String: String]? = nil, platform: Platform? = nil) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.artifactType = artifactType
        self.annotations = annotations
        self.platform = platform
    }

    /// The platform of an index entry.
    public struct Platform: Codable, Sendable, Hashable {
        /// `amd64`.
        public var architecture: String
        /// `linux`.
        public var os: String
        /// `v8`.
        public var variant: String?
    }
}

/// An image manifest or index as far as the registry needs to understand one: what it
/// references (for validation and garbage collection), its subject and artifact type.
/// The stored and served bytes are always the client's own; this is never re-encoded.
public struct ManifestDocument: Codable, Sendable {
    /// `2`.
    public var schemaVersion: Int?
    /// The media type, when the document names it.
    public var mediaType: String?
    /// The artifact type (OCI 1.1 artifacts).
    public var artifactType: String?
    /// The config blob (image manifests).
    public var config: Descriptor?
    /// Layer blobs (image manifests).
    public var layers: [Descriptor]?
    /// Child manifests (indexes).
    public var manifests: [Descriptor]?
    /// The manifest this one is about (referrers).
    public var subject: Descriptor?
    /// Annotations.
    public var annotations: [String: String]?

    /// Creates an image manifest.
    public init(mediaType: String = MediaType.imageManifest, artifactType: String? = nil, config: Descriptor,
                layers: [Descriptor], subject: Descriptor? = nil, annotations: [String: String]? = nil) {
        self.schemaVersion = 2
        self.mediaType = mediaType
        self.artifactType = artifactType
        self.config = config
        self.layers = layers
        self.subject = subject
        self.annotations = annotations
    }

    /// Creates an image index.
    public init(index manifests: [Descriptor], annotations: [String: String]? = nil) {
        self.schemaVersion = 2
        self.mediaType = MediaType.imageIndex
        self.manifests = manifests
        self.annotations = annotations
    }

    /// Parses manifest bytes, checking the media type against the one the client declared.
    /// - Parameters:
    ///   - bytes: The manifest as pushed.
    ///   - declared: The request's `Content-Type`, if any.
    /// - Throws: ``ErrorCode/artifactManifestInvalid``.
    public static func parse(_ bytes: Data, declared: String?) throws(PlatformError) -> (ManifestDocument, mediaType: String) {
        let document: ManifestDocument
        do {
            document = try JSONDecoder().decode(ManifestDocument.self, from: bytes)
        } catch {
            throw PlatformError(.artifactManifestInvalid, "the manifest is not valid OCI JSON: \(Self.describe(error))")
        }
        // `Content-Type: ;` or an empty one splits into nothing: no media type was declared (never index [0]).
        let declaredType = declared
            .flatMap { $0.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first }
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .flatMap { $0.isEmpty ? nil : $0 }
        guard let mediaType = document.mediaType ?? declaredType ?? (document.manifests != nil ? MediaType.imageIndex : nil)
                ?? (document.config != nil ? MediaType.imageManifest : nil)
        else { throw PlatformError(.artifactManifestInvalid, "the manifest names no mediaType and the request no Content-Type") }
        guard MediaType.manifests.contains(mediaType) else {
            throw PlatformError(.artifactManifestInvalid, "unsupported manifest media type \(mediaType)")
        }
        if let documentType = document.mediaType, let declaredType, declaredType != documentType {
            throw PlatformError(.artifactManifestInvalid, "Content-Type \(declaredType) does not match the manifest's mediaType \(documentType)")
        }
        guard document.schemaVersion == 2 else {
            throw PlatformError(.artifactManifestInvalid, "schemaVersion must be 2")
        }
        if MediaType.indexes.contains(mediaType) {
            guard document.manifests != nil else { throw PlatformError(.artifactManifestInvalid, "an index needs a manifests array") }
        } else {
            guard document.config != nil, document.layers != nil || document.artifactType != nil else {
                throw PlatformError(.artifactManifestInvalid, "an image manifest needs config and layers")
            }
        }
        return (document, mediaType)
    }

    /// Everything the manifest references that must already be in the repository.
    public var references: [Descriptor] {
        (config.map { [$0] } ?? []) + (layers ?? []) + (manifests ?? [])
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context): context.debugDescription
        case DecodingError.keyNotFound(let key, _): "missing \(key.stringValue)"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        default: "\(error)"
        }
    }
}
