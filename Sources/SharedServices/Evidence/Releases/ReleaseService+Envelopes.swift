import Foundation
import OCIKit
import PlatformStore
import PlatformContracts
import SQLKit

extension ReleaseService {
    /// One of the release's envelopes as stored: its evidence, approvals or any decision ever
    /// recorded for it. Nothing else is served by digest, so the route cannot be used to read
    /// arbitrary blobs of the store.
    public func envelope(_ digest: String, release id: String, in project: Project) async throws -> SignedEnvelope {
        let release = try await self.release(id, in: project)
        var held = Set(release.evidence.map(\.envelope) + release.approvals.map(\.envelope))
        let decisions = try await store.read { db in
            try await db.select().column("envelope").from("release_decisions").where("release_id", .equal, release.id).all()
                .map { try $0.decode(column: "envelope", as: String.self) }
        }
        held.formUnion(decisions)
        guard held.contains(digest), let parsed = try? ContentDigest(parsing: digest) else {
            throw PlatformError(.releaseNotFound, "release \(release.id) holds no envelope \(digest)", details: ["digest": digest])
        }
        let envelope = try DSSEEnvelope.parse(try await blobs.readAll(parsed))
        return SignedEnvelope(digest: digest, payloadType: envelope.payloadType, payload: envelope.payload,
                              signatures: envelope.signatures.map { SignedEnvelope.Signature(keyid: $0.keyid, sig: $0.sig) })
    }
}
