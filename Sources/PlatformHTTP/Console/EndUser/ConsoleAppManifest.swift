import ManifestKit
import PlatformContracts

/// What the end-user pages read from a registered manifest: its `params` (the launch form is
/// generated from them, as Open OnDemand builds its forms from `form.yml`), its GPU request,
/// its adapters and its connect actions. The text is the one the API registered and
/// validated; it is parsed with ManifestKit's `YAMLHead`, the reader the launch uses, so a
/// default the form preselects is the default the launch applies.
struct ConsoleAppManifest: Decodable, Sendable {
    /// One entry of `params`.
    struct Param: Decodable, Sendable {
        var name: String
        /// `string`, `integer` or `boolean` (the schema's types); `string` when absent.
        var type: String?
        var description: String?
        var `default`: YAMLScalar?
        var required: Bool?
        var `enum`: [YAMLScalar]?
    }

    /// A connect action: `web`, `port-forward`, `ssh` or `api`.
    struct ConnectAction: Decodable, Sendable {
        var name: String
        var type: String
        var endpoint: String
    }

    struct Metadata: Decodable, Sendable { var name: String; var version: String; var description: String? }
    struct GPU: Decodable, Sendable { var models: [String]?; var count: Int? }
    struct Resources: Decodable, Sendable { var gpu: GPU? }
    struct Runtime: Decodable, Sendable { var adapters: [String]? }

    var metadata: Metadata
    var mode: String?
    var resources: Resources?
    var params: [Param]?
    var connect: [ConnectAction]?
    var runtime: Runtime?

    /// Parses a registered manifest.
    /// - Throws: ``ErrorCode/manifestInvalid`` when the text cannot be read (a registered
    ///   manifest always can; this guards a page against a damaged row).
    static func parse(_ text: String, file: String) throws(PlatformError) -> ConsoleAppManifest {
        do {
            return try YAMLHead.decode(ConsoleAppManifest.self, from: text, file: file)
        } catch {
            throw PlatformError(.manifestInvalid, "the registered manifest \(file) cannot be read for its launch form: \(error)")
        }
    }
}
