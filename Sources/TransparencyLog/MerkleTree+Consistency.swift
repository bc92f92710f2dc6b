/// RFC 6962 consistency proofs: what a log serves so that a monitor which remembered the
/// root of the first `m` leaves can check that the tree of `n` leaves only appended to it.
/// A truncated or rewritten log cannot produce one.
extension MerkleTree {
    /// The consistency proof between the tree of the first `oldSize` leaves and the tree of
    /// all `leafHashes` (RFC 6962 §2.1.2 PROOF = SUBPROOF(m, D[n], true)).
    ///
    /// Empty when `oldSize` is 0 or equals the tree size (nothing to prove).
    /// - Precondition: `oldSize <= leafHashes.count`.
    public static func consistencyProof(oldSize: Int, leafHashes: [Hash]) -> [Hash] {
        guard oldSize > 0, oldSize < leafHashes.count else { return [] }
        return subproof(oldSize, leafHashes[...], complete: true)
    }

    /// SUBPROOF(m, D[n], b): `complete` is true while the old tree is a complete subtree of
    /// what is being proved, whose root the verifier already knows.
    private static func subproof(_ m: Int, _ leaves: ArraySlice<Hash>, complete: Bool) -> [Hash] {
        if m == leaves.count { return complete ? [] : [subtreeRoot(leaves)] }
        // k is the largest power of two smaller than n.
        var split = 1
        while split << 1 < leaves.count { split <<= 1 }
        let middle = leaves.startIndex + split
        if m <= split {
            return subproof(m, leaves[..<middle], complete: complete) + [subtreeRoot(leaves[middle...])]
        }
        return subproof(m - split, leaves[middle...], complete: false) + [subtreeRoot(leaves[..<middle])]
    }

    /// Whether `proof` shows that the tree of `oldSize` leaves with `oldRoot` is a prefix of
    /// the tree of `newSize` leaves with `newRoot` (RFC 9162 §2.1.4.2).
    ///
    /// A size-0 tree is a prefix of every tree (with an empty proof); equal sizes need equal
    /// roots and an empty proof; a smaller new size never verifies.
    public static func verifyConsistency(oldSize: UInt64, newSize: UInt64, oldRoot: Hash, newRoot: Hash, proof: [Hash]) -> Bool {
        guard oldSize <= newSize, oldRoot.count == 32, newRoot.count == 32, proof.allSatisfy({ $0.count == 32 }) else {
            return false
        }
        if oldSize == 0 { return proof.isEmpty }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        var path = proof
        // When the old tree is a complete subtree its root is the first node of the path.
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        guard let first = path.first else { return false }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = first
        var sr = first
        for node in path.dropFirst() {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                fr = nodeHash(node, fr)
                sr = nodeHash(node, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = nodeHash(sr, node)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && fr == oldRoot && sr == newRoot
    }
}
