import Crypto

/// RFC 6962 / RFC 9162 Merkle tree hashing: leaves are `SHA256(0x00 || data)`, interior
/// nodes `SHA256(0x01 || left || right)`, the empty tree `SHA256("")`.
///
/// ```swift
/// let leaves = records.map { MerkleTree.leafHash($0) }
/// let root = MerkleTree.root(of: leaves)
/// ```
public enum MerkleTree {
    /// A 32-byte SHA-256 value.
    public typealias Hash = [UInt8]

    /// `SHA256(0x00 || data)`.
    public static func leafHash(_ data: some Sequence<UInt8>) -> Hash {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(data: Array(data))
        return Array(hasher.finalize())
    }

    /// `SHA256(0x01 || left || right)`.
    public static func nodeHash(_ left: Hash, _ right: Hash) -> Hash {
        var hasher = SHA256()
        hasher.update(data: [0x01])
        hasher.update(data: left)
        hasher.update(data: right)
        return Array(hasher.finalize())
    }

    /// The Merkle tree hash (MTH) of the leaf hashes, in order.
    public static func root(of leafHashes: [Hash]) -> Hash {
        guard !leafHashes.isEmpty else { return Array(SHA256.hash(data: [UInt8]())) }
        return subtreeRoot(leafHashes[...])
    }

    static func subtreeRoot(_ leaves: ArraySlice<Hash>) -> Hash {
        if leaves.count == 1 { return leaves[leaves.startIndex] }
        // k is the largest power of two smaller than n.
        var split = 1
        while split << 1 < leaves.count { split <<= 1 }
        let middle = leaves.startIndex + split
        return nodeHash(subtreeRoot(leaves[..<middle]), subtreeRoot(leaves[middle...]))
    }

    /// Recomputes the root from an inclusion proof (RFC 9162 §2.1.3.2); `nil` when the
    /// proof cannot belong to a tree of that size.
    public static func rootFromInclusionProof(leafIndex: UInt64, treeSize: UInt64, leafHash: Hash, proof: [Hash]) -> Hash? {
        guard leafIndex < treeSize, leafHash.count == 32, proof.allSatisfy({ $0.count == 32 }) else { return nil }
        var fn = leafIndex
        var sn = treeSize - 1
        var result = leafHash
        for sibling in proof {
            guard sn != 0 else { return nil }
            if fn & 1 == 1 || fn == sn {
                result = nodeHash(sibling, result)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                result = nodeHash(result, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 ? result : nil
    }

    /// Whether `proof` shows the leaf at `leafIndex` is in the tree of `treeSize` with `root`.
    public static func verifyInclusion(leafIndex: UInt64, treeSize: UInt64, leafHash: Hash, proof: [Hash], root: Hash) -> Bool {
        rootFromInclusionProof(leafIndex: leafIndex, treeSize: treeSize, leafHash: leafHash, proof: proof) == root
    }

    /// The inclusion proof of one leaf (RFC 6962 §2.1.1 PATH), for serving proofs.
    public static func inclusionProof(leafIndex: Int, leafHashes: [Hash]) -> [Hash] {
        path(leafIndex, leafHashes[...])
    }

    private static func path(_ index: Int, _ leaves: ArraySlice<Hash>) -> [Hash] {
        guard leaves.count > 1 else { return [] }
        var split = 1
        while split << 1 < leaves.count { split <<= 1 }
        let middle = leaves.startIndex + split
        if index < split {
            return path(index, leaves[..<middle]) + [subtreeRoot(leaves[middle...])]
        }
        return path(index - split, leaves[middle...]) + [subtreeRoot(leaves[..<middle])]
    }
}
