import ManifestKit
import PlatformContracts

/// The parts of an app manifest a launch reads. The manifest has already passed the full
/// validator; this is its typed view.
struct LaunchManifest: Decodable, Sendable {
    struct Metadata: Decodable, Sendable { var name: String; var version: String }
    struct Artifact: Decodable, Sendable { var reference: String; var requiredTrust: String? }
    struct GPU: Decodable, Sendable {
        var models: [String]?
        var count: Int?
        var minMemoryMiB: Int64?
        var sharing: String?
        var migProfile: String?
    }
    struct Resources: Decodable, Sendable {
        var gpu: GPU?
        var cpuMillicores: Int?
        var memoryMiB: Int?
        var diskMiB: Int?
        var nodes: Int?
    }
    struct Param: Decodable, Sendable {
        var name: String
        var type: String?
        var `default`: YAMLScalar?
        var required: Bool?
        /// The allowed values, when the manifest lists them (`enum:`).
        var `enum`: [YAMLScalar]?
    }
    struct Endpoint: Decodable, Sendable { var name: String; var port: Int; var `protocol`: String? }
    struct Probe: Decodable, Sendable {
        var endpoint: String?
        var path: String?
        var periodSeconds: Int?
        var timeoutSeconds: Int?
        var failureThreshold: Int?
    }
    struct Health: Decodable, Sendable { var readiness: Probe?; var startup: Probe?; var liveness: Probe? }
    struct Lifecycle: Decodable, Sendable { var maxRuntimeMinutes: Int?; var idleStopMinutes: Int?; var restartPolicy: String? }
    struct Secret: Decodable, Sendable { var name: String; var ref: String; var env: Bool? }
    struct Volume: Decodable, Sendable {
        var name: String
        var mountPath: String
        var sizeMiB: Int?
        var readOnly: Bool?
        var persistent: Bool?
    }
    struct ConnectAction: Decodable, Sendable {
        var name: String
        var type: String
        var endpoint: String
        var credentialTTLSeconds: Int?
        var scopes: [String]?
        /// `strip` (default) or `keep`: see ``ConnectPathPrefix``.
        var pathPrefix: ConnectPathPrefix?
    }
    struct Evidence: Decodable, Sendable { var readyWithinMinutes: Int? }
    struct Runtime: Decodable, Sendable {
        var adapters: [String]?
        var overrides: [String: [String: YAMLScalar]]?
    }
    struct Billing: Decodable, Sendable { var usageUnit: String? }
    struct Access: Decodable, Sendable { var launchScopes: [String]?; var connectScopes: [String]? }

    var metadata: Metadata
    var artifact: Artifact
    var mode: String
    var resources: Resources?
    var command: [String]?
    var args: [String]?
    var secrets: [Secret]?
    var volumes: [Volume]?
    var env: [String: YAMLScalar]?
    var params: [Param]?
    var endpoints: [Endpoint]?
    var health: Health?
    var lifecycle: Lifecycle?
    var evidence: Evidence?
    var runtime: Runtime?
    var billing: Billing?
    var access: Access?
    var connect: [ConnectAction]?

    static func parse(_ text: String) throws -> LaunchManifest {
        try YAMLHead.decode(LaunchManifest.self, from: text)
    }
}
