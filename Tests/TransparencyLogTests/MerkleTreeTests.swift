import Crypto
import Foundation
import TransparencyLog
import Testing

/// Vectors copied from transparency-dev/merkle `testdata/inclusion/` (happy paths and
/// attacks) and the RFC 6962 reference tree they are built on.
@Suite("RFC 6962 Merkle tree")
struct MerkleTreeTests {
    static func b64(_ text: String) -> [UInt8] { Array(Data(base64Encoded: text)!) }
    static func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    /// The eight leaf inputs of the RFC 6962 test tree.
    static let inputs: [[UInt8]] = [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
        [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
        [0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f],
    ]

    struct InclusionVector: Sendable, CustomTestStringConvertible {
        var name: String
        var leafIndex: UInt64
        var treeSize: UInt64
        var root: String
        var leafHash: String
        var proof: [String]
        var wantError: Bool
        var testDescription: String { name }
    }

    static let happy8 = ["lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="]
    static let root8 = "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="
    static let leaf0 = "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0="

    static let vectors: [InclusionVector] = [
        .init(name: "inclusion/1/happy-path", leafIndex: 0, treeSize: 8, root: root8, leafHash: leaf0, proof: happy8, wantError: false),
        .init(name: "inclusion/4/happy-path", leafIndex: 1, treeSize: 5, root: "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=",
              leafHash: "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=",
              proof: ["bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="],
              wantError: false),
        .init(name: "inclusion/1/modified-proof[1]-bit-3", leafIndex: 0, treeSize: 8, root: root8, leafHash: leaf0,
              proof: [happy8[0], "Vwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", happy8[2]], wantError: true),
        .init(name: "inclusion/1/wrong-leaf", leafIndex: 0, treeSize: 8, root: root8, leafHash: "V3JvbmdMZWFm", proof: happy8, wantError: true),
        .init(name: "inclusion/1/leafIdx-+-1", leafIndex: 1, treeSize: 8, root: root8, leafHash: leaf0, proof: happy8, wantError: true),
        .init(name: "inclusion/1/treeSize-*-2", leafIndex: 0, treeSize: 16, root: root8, leafHash: leaf0, proof: happy8, wantError: true),
        .init(name: "inclusion/1/treeSize-div-2", leafIndex: 0, treeSize: 4, root: root8, leafHash: leaf0, proof: happy8, wantError: true),
        .init(name: "inclusion/1/trailing-garbage", leafIndex: 0, treeSize: 8, root: root8, leafHash: leaf0, proof: happy8 + [leaf0], wantError: true),
        .init(name: "inclusion/1/removed-component", leafIndex: 0, treeSize: 8, root: root8, leafHash: leaf0, proof: Array(happy8.prefix(2)), wantError: true),
    ]

    @Test("inclusion proofs verify exactly as the transparency-dev vectors say", arguments: vectors)
    func inclusionVectors(vector: InclusionVector) {
        let ok = MerkleTree.verifyInclusion(
            leafIndex: vector.leafIndex, treeSize: vector.treeSize, leafHash: Self.b64(vector.leafHash),
            proof: vector.proof.map(Self.b64), root: Self.b64(vector.root))
        #expect(ok == !vector.wantError)
    }

    @Test("roots of the RFC 6962 reference tree")
    func referenceRoots() {
        let leaves = Self.inputs.map { MerkleTree.leafHash($0) }
        #expect(leaves[0] == Self.b64(Self.leaf0))
        #expect(MerkleTree.root(of: leaves) == Self.b64(Self.root8))
        #expect(MerkleTree.root(of: Array(leaves.prefix(5))) == Self.b64("Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ="))
        #expect(MerkleTree.root(of: []) == Self.hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
    }

    @Test("proofs this implementation builds verify for every leaf of trees up to 20")
    func generatedProofs() {
        for size in 1...20 {
            let leaves = (0..<size).map { MerkleTree.leafHash(Array("leaf \($0)".utf8)) }
            let root = MerkleTree.root(of: leaves)
            for index in 0..<size {
                let proof = MerkleTree.inclusionProof(leafIndex: index, leafHashes: leaves)
                #expect(MerkleTree.verifyInclusion(leafIndex: UInt64(index), treeSize: UInt64(size), leafHash: leaves[index], proof: proof, root: root))
            }
        }
        // The vector's proof is the one this implementation builds.
        let leaves = Self.inputs.map { MerkleTree.leafHash($0) }
        #expect(MerkleTree.inclusionProof(leafIndex: 0, leafHashes: leaves) == Self.happy8.map(Self.b64))
    }
}
