import Foundation
import Testing
import TransparencyLog

/// RFC 6962 consistency proofs: the known-answer vectors of transparency-dev/merkle's
/// reference test (built on the RFC 6962 test tree), every (m, n) pair of small trees, and
/// tampered proofs that must fail.
@Suite("RFC 6962 consistency proofs")
struct MerkleConsistencyTests {
    static let leaves = MerkleTreeTests.inputs.map { MerkleTree.leafHash($0) }

    struct Vector: Sendable, CustomTestStringConvertible {
        var oldSize: Int
        var newSize: Int
        var proof: [String]
        var testDescription: String { "\(oldSize)→\(newSize)" }
    }

    static let vectors: [Vector] = [
        Vector(oldSize: 1, newSize: 1, proof: []),
        Vector(oldSize: 1, newSize: 8, proof: [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ]),
        Vector(oldSize: 2, newSize: 5, proof: [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ]),
        Vector(oldSize: 6, newSize: 8, proof: [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ]),
    ]

    @Test("proofs equal the transparency-dev known answers and verify", arguments: vectors)
    func knownAnswers(vector: Vector) {
        let tree = Array(Self.leaves.prefix(vector.newSize))
        let proof = MerkleTree.consistencyProof(oldSize: vector.oldSize, leafHashes: tree)
        #expect(proof == vector.proof.map(MerkleTreeTests.hex))
        #expect(MerkleTree.verifyConsistency(
            oldSize: UInt64(vector.oldSize), newSize: UInt64(vector.newSize),
            oldRoot: MerkleTree.root(of: Array(tree.prefix(vector.oldSize))), newRoot: MerkleTree.root(of: tree), proof: proof))
    }

    @Test("every (m, n) pair of trees up to 33 leaves verifies, and every tampered proof fails")
    func everyPair() {
        let leaves = (0..<33).map { MerkleTree.leafHash(Array("leaf \($0)".utf8)) }
        let roots = (0...leaves.count).map { MerkleTree.root(of: Array(leaves.prefix($0))) }
        for n in 1...leaves.count {
            let tree = Array(leaves.prefix(n))
            for m in 1...n {
                let proof = MerkleTree.consistencyProof(oldSize: m, leafHashes: tree)
                let (old, new) = (UInt64(m), UInt64(n))
                #expect(MerkleTree.verifyConsistency(oldSize: old, newSize: new, oldRoot: roots[m], newRoot: roots[n], proof: proof),
                        "\(m)→\(n)")
                // Another old root (a rewritten history) or another new root never verifies.
                if m < n {
                    #expect(!MerkleTree.verifyConsistency(oldSize: old, newSize: new, oldRoot: roots[m - 1], newRoot: roots[n], proof: proof))
                }
                #expect(!MerkleTree.verifyConsistency(oldSize: old, newSize: new, oldRoot: roots[m], newRoot: roots[n - 1], proof: proof)
                        || roots[n] == roots[n - 1])
                // A flipped bit in any node, a dropped node or an extra node fails.
                for index in proof.indices {
                    var flipped = proof
                    flipped[index][index % 32] ^= 0x01
                    #expect(!MerkleTree.verifyConsistency(oldSize: old, newSize: new, oldRoot: roots[m], newRoot: roots[n], proof: flipped))
                }
                if !proof.isEmpty {
                    #expect(!MerkleTree.verifyConsistency(oldSize: old, newSize: new, oldRoot: roots[m], newRoot: roots[n],
                                                         proof: Array(proof.dropLast())))
                }
                #expect(!MerkleTree.verifyConsistency(oldSize: old, newSize: new, oldRoot: roots[m], newRoot: roots[n],
                                                     proof: proof + [roots[m]]))
                // The same proof for other sizes fails (unless the sizes give the same proof).
                if n < leaves.count {
                    let other = MerkleTree.consistencyProof(oldSize: m, leafHashes: Array(leaves.prefix(n + 1)))
                    #expect(other == proof || !MerkleTree.verifyConsistency(
                        oldSize: old, newSize: new + 1, oldRoot: roots[m], newRoot: roots[n + 1], proof: proof))
                }
            }
        }
    }

    @Test("a smaller new tree (truncation) never verifies; the empty tree is a prefix of all")
    func truncationAndEmpty() {
        let roots = (0...8).map { MerkleTree.root(of: Array(Self.leaves.prefix($0))) }
        #expect(!MerkleTree.verifyConsistency(oldSize: 8, newSize: 5, oldRoot: roots[8], newRoot: roots[5], proof: []))
        #expect(!MerkleTree.verifyConsistency(oldSize: 5, newSize: 5, oldRoot: roots[5], newRoot: roots[4], proof: []))
        #expect(MerkleTree.verifyConsistency(oldSize: 0, newSize: 8, oldRoot: roots[0], newRoot: roots[8], proof: []))
        #expect(MerkleTree.consistencyProof(oldSize: 0, leafHashes: Self.leaves).isEmpty)
    }
}
