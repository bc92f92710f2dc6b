import Crypto
import Foundation
import PlatformContracts

/// Envelope encryption of one secret version: a fresh AES-256-GCM data key encrypts the
/// value, and the data key is itself encrypted (wrapped) under the keyring's primary master
/// key. Both seals carry the secret's identity (project, name, version) as associated data,
/// so a row copied onto another secret, or another version, does not decrypt. Rotating the
/// master key re-wraps data keys only; values are never re-encrypted.
struct SecretEnvelope: Sendable, Equatable {
    /// `nonce ‖ ciphertext ‖ tag` of the value under the data key.
    var ciphertext: [UInt8]
    /// `nonce ‖ ciphertext ‖ tag` of the data key under the master key.
    var wrappedKey: [UInt8]
    /// The master key that wrapped ``wrappedKey``.
    var masterKeyId: String

    /// Where a version sits: what both seals are bound to.
    struct Binding: Sendable, Equatable {
        var project: String
        var name: String
        var version: Int

        func associatedData(_ label: String) -> [UInt8] {
            Array("platform-secret/\(label)/v1\u{0}\(project)\u{0}\(name)\u{0}\(version)".utf8)
        }
    }

    /// Seals a value under a fresh data key wrapped by `master`.
    static func seal(_ value: [UInt8], binding: Binding, master: MasterKey) throws(PlatformError) -> SecretEnvelope {
        let dataKey = SymmetricKey(size: .bits256)
        do {
            let sealed = try AES.GCM.seal(value, using: dataKey, authenticating: binding.associatedData("value"))
            let keyBytes = dataKey.withUnsafeBytes { Array($0) }
            let wrapped = try AES.GCM.seal(keyBytes, using: master.key, authenticating: binding.associatedData("data-key"))
            guard let combined = sealed.combined, let wrappedCombined = wrapped.combined else {
                throw PlatformError(.secretUnavailable, "AES-GCM produced no combined box")
            }
            return SecretEnvelope(ciphertext: Array(combined), wrappedKey: Array(wrappedCombined), masterKeyId: master.id)
        } catch let error as PlatformError {
            throw error
        } catch {
            throw PlatformError(.secretUnavailable, "cannot encrypt the secret: \(type(of: error))")
        }
    }

    /// The data key, unwrapped with the keyring's key named by the row.
    /// - Throws: ``ErrorCode/secretUnavailable`` when the keyring lacks that key or the wrap
    ///   does not authenticate (a wrong key, a moved row): fails closed.
    func dataKey(binding: Binding, keyring: MasterKeyring) throws(PlatformError) -> SymmetricKey {
        guard let master = keyring.key(id: masterKeyId) else {
            throw PlatformError(.secretUnavailable, "the master key \(masterKeyId) that wraps \(binding.name) v\(binding.version) is not in the keyring")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: wrappedKey)
            return SymmetricKey(data: try AES.GCM.open(box, using: master.key, authenticating: binding.associatedData("data-key")))
        } catch {
            throw PlatformError(.secretUnavailable, "the data key of \(binding.name) v\(binding.version) does not unwrap under \(masterKeyId)")
        }
    }

    /// The plaintext.
    /// - Throws: ``ErrorCode/secretUnavailable`` (fails closed).
    func open(binding: Binding, keyring: MasterKeyring) throws(PlatformError) -> [UInt8] {
        let key = try dataKey(binding: binding, keyring: keyring)
        do {
            let box = try AES.GCM.SealedBox(combined: ciphertext)
            return Array(try AES.GCM.open(box, using: key, authenticating: binding.associatedData("value")))
        } catch {
            throw PlatformError(.secretUnavailable, "\(binding.name) v\(binding.version) does not decrypt (its row is not this secret's)")
        }
    }

    /// The same envelope with its data key re-wrapped under `master` (the value's ciphertext
    /// is untouched).
    func rewrapped(binding: Binding, keyring: MasterKeyring, under master: MasterKey) throws(PlatformError) -> SecretEnvelope {
        let key = try dataKey(binding: binding, keyring: keyring)
        do {
            let wrapped = try AES.GCM.seal(key.withUnsafeBytes { Array($0) }, using: master.key,
                                           authenticating: binding.associatedData("data-key"))
            guard let combined = wrapped.combined else { throw PlatformError(.secretUnavailable, "AES-GCM produced no combined box") }
            return SecretEnvelope(ciphertext: ciphertext, wrappedKey: Array(combined), masterKeyId: master.id)
        } catch let error as PlatformError {
            throw error
        } catch {
            throw PlatformError(.secretUnavailable, "cannot re-wrap \(binding.name) v\(binding.version): \(type(of: error))")
        }
    }
}
