/// The OCI and Docker media types the registry and the CLI speak.
public enum MediaType {
    /// OCI image manifest.
    public static let imageManifest = "application/vnd.oci.image.manifest.v1+json"
    /// OCI image index.
    public static let imageIndex = "application/vnd.oci.image.index.v1+json"
    /// Docker v2 schema 2 manifest.
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    /// Docker manifest list.
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    /// The empty descriptor's media type (`{}`), used as config of artifacts.
    public static let empty = "application/vnd.oci.empty.v1+json"
    /// A DSSE envelope (signatures and evidence attached as referrers).
    public static let dsseEnvelope = "application/vnd.dsse.envelope.v1+json"
    /// cosign's simple-signing payload layer.
    public static let cosignSimpleSigning = "application/vnd.dev.cosign.simplesigning.v1+json"
    /// The OCI image config.
    public static let imageConfig = "application/vnd.oci.image.config.v1+json"
    /// A gzipped OCI layer.
    public static let layerGzip = "application/vnd.oci.image.layer.v1.tar+gzip"

    /// Every manifest media type a PUT may carry.
    public static let manifests: Set<String> = [imageManifest, imageIndex, dockerManifest, dockerManifestList]
    /// The index-like ones (their children are manifests, not blobs).
    public static let indexes: Set<String> = [imageIndex, dockerManifestList]
}

/// Annotation keys the platform reads or writes.
public enum Annotation {
    /// cosign's signature annotation on a simple-signing layer (base64 DER ECDSA).
    public static let cosignSignature = "dev.cosignproject.cosign/signature"
    /// The evidence type (an id of the evidence-type registry) of an evidence referrer.
    public static let evidenceType = "dev.platform.evidence.type"
    /// Creation time.
    public static let created = "org.opencontainers.image.created"
    /// A tag in an image layout's `index.json`.
    public static let refName = "org.opencontainers.image.ref.name"
}
