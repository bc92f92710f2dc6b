/// One type of the artifact-type registry (`manifests/platform/artifact-types.yaml`).
public struct ArtifactTypeDefinition: Sendable, Codable, Hashable {
    /// What a promotion to one trust state requires.
    public struct Gate: Sendable, Codable, Hashable {
        /// The target state (`verified`, `promoted:staging`, `promoted:production`).
        public var to: String
        /// How many signatures must verify against the project's trusted keys.
        public var signatures: Int
        /// Evidence types (evidence-type registry ids) that must be attached and signed.
        public var evidence: [String]
    }

    /// `app-image`.
    public var typeId: String
    /// Manifest media types of this type.
    public var mediaTypes: [String]
    /// OCI 1.1 `artifactType` values of this type (they win over media types).
    public var artifactTypes: [String]
    /// What it is.
    public var description: String
    /// Whether a verified signature is required before promotion.
    public var signingRequired: Bool
    /// Trust states this type moves through.
    public var trustStates: [String]
    /// Promotion gates per target state.
    public var gates: [Gate]
    /// The promotion policy in words.
    public var promotionPolicy: String

    enum CodingKeys: String, CodingKey {
        case typeId = "type_id", mediaTypes = "media_types", artifactTypes = "artifact_types", description,
             signingRequired = "signing_required", trustStates = "trust_states", gates, promotionPolicy = "promotion_policy"
    }

    /// The gate for a target state, if the type has one.
    public func gate(to state: String) -> Gate? {
        gates.first { $0.to == state }
    }
}

/// The artifact-type registry file.
public struct ArtifactTypeRegistry: Sendable, Codable, Equatable {
    /// Always `artifact-type`.
    public var registry: String
    /// File version.
    public var version: Int
    /// Every type.
    public var types: [ArtifactTypeDefinition]

    /// The type of a pushed manifest: an `artifactType` match first, then its media type.
    public func type(mediaType: String, artifactType: String?) -> ArtifactTypeDefinition? {
        if let artifactType, let match = types.first(where: { $0.artifactTypes.contains(artifactType) }) { return match }
        if artifactType != nil { return nil }
        return types.first { $0.mediaTypes.contains(mediaType) }
    }
}

/// One GPU model manifests may ask for (`manifests/platform/gpu-models.yaml`).
public struct GPUModelDefinition: Sendable, Codable, Hashable {
    /// Short id (`h100`).
    public var modelId: String
    /// The name `nvidia-smi` reports.
    public var name: String
    /// Memory in MiB.
    public var memoryMib: Int64
    /// MIG profiles it supports.
    public var migProfiles: [String]

    enum CodingKeys: String, CodingKey {
        case modelId = "model_id", name, memoryMib = "memory_mib", migProfiles = "mig_profiles"
    }

    /// Creates a model entry.
    public init(modelId: String, name: String, memoryMib: Int64, migProfiles: [String]) {
        self.modelId = modelId
        self.name = name
        self.memoryMib = memoryMib
        self.migProfiles = migProfiles
    }
}

/// The GPU model list.
public struct GPUModelRegistry: Sendable, Codable, Equatable {
    /// Always `gpu-model`.
    public var registry: String
    /// File version.
    public var version: Int
    /// Every model.
    public var models: [GPUModelDefinition]

    /// Creates the list.
    public init(registry: String, version: Int, models: [GPUModelDefinition]) {
        self.registry = registry
        self.version = version
        self.models = models
    }
}
