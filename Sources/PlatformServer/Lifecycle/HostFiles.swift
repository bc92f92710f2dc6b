import AppPlatform
import ArtifactRegistry
import AuditService
import Foundation
import EvidenceService
import ManifestKit
import OCIKit
import PlatformContracts
import PlatformHTTP
import PlatformStore
import RegistryService
import SecretsService
import TransparencyLog

/// Bootstrap step 1: everything platformd reads or creates on disk before it opens the
/// database. The data directory (`--data-dir`) holds what this installation writes (the
/// SQLite database, blobs, keys); the resources folder (`--resources`, see
/// ``ResourceDirectory``) holds what it ships with (registries, schema, portal, templates).
/// Nothing here needs the store, so a failure leaves nothing to close.
struct HostFiles: Sendable {
    /// `--data-dir`, created (mode 0700) if missing.
    let dataDirectory: URL
    /// `--resources`.
    let resources: ResourceDirectory
    /// The registry folder (`--registry-dir`, else under the resources).
    let registries: RegistryFiles
    /// The registries, loaded and checked.
    let registrySet: RegistrySet
    /// Validates app manifests against the schema and the registries.
    let manifestValidator: ManifestValidator
    /// `--database-url`, else SQLite in the data directory.
    let databaseLocation: DatabaseLocation
    /// Signs the audit log's checkpoints (`audit-signing.key`).
    let auditSigner: NoteKey
    /// Signs `/v2` bearer tokens (`registry-token.key`).
    let registryTokens: RegistryTokenSigner
    /// Signs connect SSH user certificates (`ssh-user-ca.key`).
    let sshAuthority: SSHCertificateAuthority
    /// Content-addressed blobs: `blobs/`, or an S3 bucket (`--blob-store s3://…`).
    let blobs: any BlobStore
    /// The registry's resumable uploads, staged on local disk (`blobs/_uploads`, or
    /// `s3-staging/` beside an S3 store).
    let uploads: ResumableUploads
    /// Signs platform-made evidence and release decisions (`platform-evidence.key`).
    let platformEvidenceKey: SigningPrivateKey
    /// Wraps secrets' data keys (`secrets-master.key`, `--secrets-master-key` or
    /// `PLATFORMD_SECRETS_MASTER_KEY`).
    var secretsKeyring: MasterKeyring?
    /// The secret-purpose registry (`secret-purposes.yaml` in the registry folder).
    var secretPurposes: SecretPurposeRegistry?
    /// The listener's TLS certificate and key (`--tls-cert`, `--tls-key`), when it serves HTTPS.
    var tls: TLSCertificateSource?

    /// Where the bootstrap admin's key is written on first start.
    var bootstrapKeyFile: URL { dataDirectory.appendingPathComponent("bootstrap-admin.key") }
    /// Each runtime adapter's working folder sits under this one (`runtime/<adapter>`).
    var runtimeRoot: URL { dataDirectory.appendingPathComponent("runtime") }

    /// Creates the data directory and loads or creates every file in it and the resources.
    /// - Throws: ``ErrorCode/configInvalid`` naming the file, ``ErrorCode/storeInvalidURL``.
    static func load(_ configuration: ServerConfiguration) throws -> HostFiles {
        let dataDirectory = URL(fileURLWithPath: configuration.dataDirectory).standardizedFileURL
        do {
            try FileManager.default.createDirectory(
                at: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw PlatformError(.configInvalid, "cannot create data directory \(dataDirectory.path): \(error.localizedDescription)")
        }
        let location = try configuration.databaseURL.map { url throws(PlatformError) in try DatabaseLocation(url: url) }
            ?? .sqlite(path: dataDirectory.appendingPathComponent("platform.db").path)
        let resources = ResourceDirectory(path: configuration.resourcesDirectory)
        let registries = try resources.registries(override: configuration.registryDirectory)
        let registrySet = try RegistrySet.load(registries)
        let blobs = try blobStore(configuration, dataDirectory: dataDirectory, environment: ProcessInfo.processInfo.environment)
        let signer = try AuditSigningKey.loadOrCreate(at: dataDirectory.appendingPathComponent("audit-signing.key"), name: "platformd")
        var files = HostFiles(
            dataDirectory: dataDirectory, resources: resources, registries: registries, registrySet: registrySet,
            manifestValidator: try registries.manifestValidator(registrySet), databaseLocation: location, auditSigner: signer,
            registryTokens: try RegistryTokenSigner.loadOrCreate(at: dataDirectory.appendingPathComponent("registry-token.key")),
            sshAuthority: try SSHCertificateAuthority.loadOrCreate(at: dataDirectory.appendingPathComponent("ssh-user-ca.key")),
            blobs: blobs.store, uploads: blobs.uploads,
            platformEvidenceKey: try PlatformEvidenceKeyFile.loadOrCreate(at: dataDirectory.appendingPathComponent("platform-evidence.key")))
        files.secretsKeyring = try MasterKeyring.load(
            file: configuration.secretsMasterKeyFile, defaultFile: dataDirectory.appendingPathComponent("secrets-master.key"),
            environment: ProcessInfo.processInfo.environment)
        files.secretPurposes = try SecretPurposeRegistry.load(directory: registries.directory)
        if let tls = configuration.tls {
            do {
                files.tls = try TLSCertificateSource(certificatePath: tls.certificate, keyPath: tls.key)
            } catch {
                throw PlatformError(.configInvalid, "\(error)")
            }
        }
        return files
    }

    /// The configured blob store and the registry's upload staging in front of it.
    static func blobStore(_ configuration: ServerConfiguration, dataDirectory: URL,
                          environment: [String: String]) throws -> (store: any BlobStore, uploads: ResumableUploads) {
        guard let url = configuration.blobStore else {
            let store = try FileSystemBlobStore(root: dataDirectory.appendingPathComponent("blobs"))
            return (store, ResumableUploads(store: store))
        }
        let credentials = SigV4Credentials(
            accessKeyID: environment["PLATFORMD_S3_ACCESS_KEY_ID"] ?? "",
            secretAccessKey: environment["PLATFORMD_S3_SECRET_ACCESS_KEY"] ?? "",
            sessionToken: environment["PLATFORMD_S3_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 })
        let staging = dataDirectory.appendingPathComponent("s3-staging")
        let store = try S3BlobStore(bucket: try S3Bucket(url: url, credentials: credentials),
                                    staging: staging.appendingPathComponent("writes"))
        return (store, try ResumableUploads(store: store, folder: staging.appendingPathComponent("uploads")))
    }
}
