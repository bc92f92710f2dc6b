import Foundation
import PlatformContracts

extension PolicyRegistry: RegistryDocument {}

extension RegistryFiles {
    /// The policy registry (`policies.yaml`), checked: unique keys and plans, defaults and
    /// plan values of their policy's type, plans naming known policies only.
    /// - Throws: ``ErrorCode/configInvalid`` naming the file and entry.
    public func policies(text: String? = nil) throws(PlatformError) -> PolicyRegistry {
        let registry: PolicyRegistry = try typed("policies.yaml", kind: "policy", text: text)
        try registry.check(file: directory.appendingPathComponent("policies.yaml").path)
        return registry
    }
}
