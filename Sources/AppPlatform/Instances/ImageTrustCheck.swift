import ArtifactRegistry
import PlatformContracts
import RuntimeKit

/// The one check that an image may run: the reference resolves to a manifest digest in the
/// registry, and that digest's trust, evaluated now in the project that signed and promoted
/// it (a revoked key's signatures no longer count), meets `required`. A project launching
/// its own app, a tenant launching a catalog app (trust read in the catalog's source
/// project) and platform control publishing into the catalog all decide through it, so
/// they cannot drift apart. Every refusal is ``ErrorCode/instanceArtifactUntrusted`` and
/// fails closed: an unreadable trust state refuses.
struct ImageTrustCheck {
    let registry: OCIRegistry
    let ledger: TrustLedger

    /// The project's repository for a manifest's `artifact.reference` (its last path
    /// component under the project id, as pushes name it) and the tag or digest to resolve.
    static func repository(for reference: String, in project: Project) -> (repository: String, reference: String) {
        let (path, tag) = InstanceAdmission.split(reference: reference)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return ("\(project.id.lowercased())/\(name)", tag)
    }

    /// The digest `reference` names in `repository`, with the trust state it has in `project`.
    /// - Parameters:
    ///   - absent: The message when the registry has no such image.
    ///   - insufficient: The message when its state (the argument) is below `required`; the
    ///     digest is known by then and passed too.
    func verify(_ repository: String, _ reference: String, in project: Project, required: TrustState, absent: String,
                insufficient: (ContentDigest, TrustState) -> String) async throws -> (digest: ContentDigest, state: TrustState) {
        guard let digest = try await registry.manifestDigest(repository: repository, reference: reference) else {
            throw PlatformError(.instanceArtifactUntrusted, absent,
                                details: ["repository": repository, "required": required.rawValue, "state": "absent"])
        }
        let state: TrustState
        do {
            state = try await ledger.status(in: project, digest: digest).effectiveState
        } catch let error as PlatformError {
            throw PlatformError(.instanceArtifactUntrusted, "the trust state of \(repository)@\(digest) cannot be read (\(error.code)); refusing",
                                details: ["repository": repository, "required": required.rawValue, "state": "unknown"])
        }
        guard state.satisfies(required) else {
            throw PlatformError(.instanceArtifactUntrusted, insufficient(digest, state),
                                details: ["repository": repository, "digest": digest.description, "required": required.rawValue,
                                          "state": state.rawValue])
        }
        return (digest, state)
    }

    /// The stricter of the environment's trust and the manifest's `artifact.requiredTrust`.
    static func required(environment: TrustState, manifest: LaunchManifest) -> TrustState {
        [environment, manifest.artifact.requiredTrust.flatMap(TrustState.init(rawValue:)) ?? .registered]
            .max { $0.rank < $1.rank } ?? environment
    }
}
