import Crypto
import Foundation
import PlatformContracts
import TransparencyLog
import Testing

@Suite("Signed checkpoints")
struct SignedNoteTests {
    @Test("a signed checkpoint verifies with the verifier key and fails when tampered")
    func signAndVerify() throws {
        let key = NoteKey(name: "platformd.test", privateKey: Curve25519.Signing.PrivateKey())
        let checkpoint = Checkpoint(origin: "platformd.test/audit", size: 3, rootHash: Array(repeating: 7, count: 32))
        let note = try key.sign(body: checkpoint.body)
        #expect(note.hasPrefix("platformd.test/audit\n3\n"))
        #expect(note.contains("\n\n— platformd.test "))
        let verifier = try NoteKey(verifierKey: key.verifierKey)
        #expect(Checkpoint(body: try verifier.verify(note: note)) == checkpoint)

        let tampered = note.replacingOccurrences(of: "\n3\n", with: "\n4\n")
        #expect(throws: PlatformError(.auditVerificationFailed)) { try verifier.verify(note: tampered) }
        let stranger = try NoteKey(verifierKey: NoteKey(name: "platformd.test", privateKey: .init()).verifierKey)
        #expect(throws: PlatformError(.auditVerificationFailed)) { try stranger.verify(note: note) }
    }

    @Test("verifier keys have the C2SP shape")
    func verifierKeyShape() throws {
        let key = NoteKey(name: "example.com/log", privateKey: Curve25519.Signing.PrivateKey())
        let parts = key.verifierKey.split(separator: "+", maxSplits: 2)
        #expect(parts.count == 3 && parts[0] == "example.com/log" && parts[1].count == 8)
        #expect(throws: PlatformError(.auditVerificationFailed)) { try NoteKey(verifierKey: "x+00000000+AAAA") }
    }
}
