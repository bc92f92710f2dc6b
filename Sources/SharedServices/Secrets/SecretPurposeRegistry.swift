import Foundation
import PlatformContracts
import Yams

/// The secret-purpose registry (`manifests/platform/secret-purposes.yaml`): every secret
/// names a registered purpose, so an operator can tell what a stored credential is for and
/// which ones may ever reach an instance. Loaded and checked when the server starts; a
/// malformed file stops the start (``ErrorCode/configInvalid``) rather than admitting any
/// purpose.
public struct SecretPurposeRegistry: Sendable, Equatable, Decodable {
    /// One registered purpose.
    public struct Purpose: Sendable, Equatable, Decodable {
        /// The id a secret names (`app-runtime`).
        public var purposeId: String
        /// Whether secrets of this purpose may be delivered into instances (a manifest's
        /// `secrets:`); the others are for the platform's own use.
        public var runtimeDelivery: Bool
        /// What it is for, for people.
        public var description: String

        enum CodingKeys: String, CodingKey {
            case purposeId = "purpose_id", runtimeDelivery = "runtime_delivery", description
        }
    }

    /// The file's name under the registry folder.
    public static let fileName = "secret-purposes.yaml"

    /// `secret-purpose`.
    public var registry: String
    /// The registry's version (≥ 1).
    public var version: Int
    /// The purposes, in file order.
    public var purposes: [Purpose]

    /// Looks a purpose up.
    public func purpose(_ id: String) -> Purpose? { purposes.first { $0.purposeId == id } }

    /// Parses and checks a registry text: the kind, a version ≥ 1, a non-empty list of
    /// unique lowercase ids.
    /// - Throws: ``ErrorCode/configInvalid`` naming `path` and the entry.
    public static func parse(_ text: String, path: String) throws(PlatformError) -> SecretPurposeRegistry {
        let registry: SecretPurposeRegistry
        do {
            registry = try YAMLDecoder().decode(SecretPurposeRegistry.self, from: text)
        } catch {
            throw PlatformError(.configInvalid, "cannot read registry \(path): \(error)")
        }
        guard registry.registry == "secret-purpose" else {
            throw PlatformError(.configInvalid, "registry \(path): `registry` must be secret-purpose")
        }
        guard registry.version >= 1 else { throw PlatformError(.configInvalid, "registry \(path): `version` must be an integer ≥ 1") }
        guard !registry.purposes.isEmpty else { throw PlatformError(.configInvalid, "registry \(path): `purposes` must not be empty") }
        var seen = Set<String>()
        for (index, purpose) in registry.purposes.enumerated() {
            guard SecretName.isValid(purpose.purposeId) else {
                throw PlatformError(.configInvalid, "registry \(path): entry \(index + 1) has purpose_id \"\(purpose.purposeId)\"; use lowercase letters, digits and dashes")
            }
            guard seen.insert(purpose.purposeId).inserted else {
                throw PlatformError(.configInvalid, "registry \(path): entry \(index + 1) (purpose_id \(purpose.purposeId)) is a duplicate")
            }
        }
        return registry
    }

    /// Loads `secret-purposes.yaml` from the registry folder.
    /// - Throws: ``ErrorCode/configInvalid`` when the file is missing or malformed.
    public static func load(directory: URL) throws(PlatformError) -> SecretPurposeRegistry {
        let url = directory.appendingPathComponent(fileName)
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw PlatformError(.configInvalid, "cannot read registry \(url.path): \(error.localizedDescription)")
        }
        return try parse(text, path: url.path)
    }
}

/// The shape of secret names (and purpose ids): what a manifest's `secret://project/name`
/// reference can name.
enum SecretName {
    /// 1 to 63 lowercase letters, digits and dashes, starting with a letter or digit.
    static func isValid(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 63, first != UInt8(ascii: "-") else { return false }
        return name.utf8.allSatisfy { (0x61...0x7a).contains($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: "-") }
    }
}
