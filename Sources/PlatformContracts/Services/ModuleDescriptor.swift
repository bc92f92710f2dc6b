/// Where a module sits in the layer diagram.
public enum ModuleKind: String, Sendable, Codable, CaseIterable {
    /// A co-hosted shared service (IAM, audit, metering, …).
    case sharedService = "shared-service"
    /// Product domain: artifacts, runtime, app platform.
    case product
    /// A runtime adapter under `runtime-adapters/`.
    case runtimeAdapter = "runtime-adapter"
}

/// What a module declares about itself to the composition root, which logs the set at
/// start-up and reports it in `/version`.
public struct ModuleDescriptor: Sendable, Codable, Hashable {
    /// The module's short name (`iam`, `audit`, …); also its migration namespace.
    public let name: String
    /// Its place in the layers.
    public let kind: ModuleKind
    /// The contract protocol it implements, by name.
    public let contract: String
    /// One sentence on what it does.
    public let summary: String

    /// Declares a module.
    public init(name: String, kind: ModuleKind, contract: String, summary: String) {
        self.name = name
        self.kind = kind
        self.contract = contract
        self.summary = summary
    }
}
