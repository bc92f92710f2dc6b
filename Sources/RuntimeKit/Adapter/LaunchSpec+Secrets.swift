import PlatformContracts

extension LaunchSpec {
    /// One secret as an adapter delivers it: the file name under `/run/secrets` (and the
    /// variable name with ``SecretDelivery/env``) and its plaintext.
    public struct DeliveredSecret: Sendable {
        /// The delivery (name, reference, whether also an environment variable).
        public let delivery: SecretDelivery
        /// The plaintext the platform resolved for this launch.
        public let value: [UInt8]
    }

    /// Where secrets are mounted in an instance.
    public static let secretsMountPath = "/run/secrets"

    /// The secrets to deliver, each with its value, checked the same way on every adapter:
    /// a name is a file name that cannot escape the secrets folder (`^[A-Z_][A-Z0-9_]*$`, as
    /// the manifest schema says) and every delivery has its value (the platform fills
    /// ``secretValues`` just before `start`; a spec without them never starts half-furnished).
    /// - Throws: ``ErrorCode/runtimeSpecInvalid`` (a bad name), ``ErrorCode/secretUnavailable``
    ///   (no value: the platform did not resolve it).
    public func deliveredSecrets() throws(PlatformError) -> [DeliveredSecret] {
        var seen = Set<String>()
        return try secrets.map { delivery throws(PlatformError) in
            guard Self.isSecretName(delivery.name), seen.insert(delivery.name).inserted else {
                throw PlatformError(.runtimeSpecInvalid, "secret delivery name \"\(delivery.name)\" is not an upper-case identifier, or is repeated")
            }
            guard let value = secretValues[delivery.name] else {
                throw PlatformError(.secretUnavailable, "secret \(delivery.name) (\(delivery.ref)) was not resolved for this launch")
            }
            return DeliveredSecret(delivery: delivery, value: value)
        }
    }

    /// The environment variables of the secrets delivered with `env: true`.
    /// - Throws: ``ErrorCode/secretInvalid`` when such a value is not text without NUL bytes
    ///   (it can only be delivered as a file), plus ``deliveredSecrets()``'s errors.
    public func secretEnvironment() throws(PlatformError) -> [String: String] {
        var environment: [String: String] = [:]
        for secret in try deliveredSecrets() where secret.delivery.env {
            guard !secret.value.contains(0), let text = String(validating: secret.value, as: UTF8.self) else {
                throw PlatformError(.secretInvalid, "secret \(secret.delivery.name) is binary; deliver it as a file only (env: false)")
            }
            environment[secret.delivery.name] = text
        }
        return environment
    }

    static func isSecretName(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 128, !(0x30...0x39).contains(first) else { return false }
        return name.utf8.allSatisfy { (0x41...0x5a).contains($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: "_") }
    }
}
