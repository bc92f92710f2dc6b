import Foundation
import PlatformContracts

/// A named text input (a manifest, a registry file).
public struct NamedText: Sendable, Hashable {
    /// The file's path relative to the checkout, as the pages cite it.
    public var file: String
    /// Its contents.
    public var text: String

    /// Creates an input.
    public init(file: String, text: String) {
        self.file = file
        self.text = text
    }
}

/// One CLI command and its help text, exactly as `appctl CMD --help` prints it.
public struct CLICommand: Sendable, Hashable {
    /// The words after `appctl` (`["connect"]`, `["session", "list"]`); empty for the root.
    public var path: [String]
    /// The help text.
    public var help: String

    /// Creates a command.
    public init(path: [String], help: String) {
        self.path = path
        self.help = help
    }
}

/// Everything the portal is rendered from: the same files the server and the CLI use.
public struct PortalInputs: Sendable {
    /// `manifests/schema/app-manifest.v1.schema.json`.
    public var schema: NamedText
    /// The supported app manifests, `manifests/apps/*.yaml`, by file name.
    public var apps: [NamedText]
    /// The platform registries, `manifests/platform/*.yaml`, by file name.
    public var registries: [NamedText]
    /// The typed `/v1` contract (operations and their derived schemas).
    public var api: APIContract
    /// The SDK pages' snippets, each one source file the docs tests run
    /// (``SDKPages/pythonFirstCall``, ``SDKPages/swiftFirstCall``).
    public var sdkExamples: [NamedText] = []
    /// The CLI's command tree with help.
    public var commands: [CLICommand]
    /// Every error code (``ErrorCode/allCases``).
    public var errorCodes: [String]
    /// The runtime adapters' declared capabilities.
    public var adapters: [RuntimeAdapterCapabilities]
    /// How far the launch path carries each manifest feature.
    public var support: [ManifestFeatureSupport]
    /// The tests that launched a feature on an adapter: a matrix cell is `validated` only through one.
    public var proofs: [LaunchFeatureProof] = LaunchFeatureProof.recorded
    /// The onboarding track's pages, `manifests/portal/onboarding/N-ID.yaml`, in order.
    public var onboarding: [NamedText]
    /// The how-to pages, `manifests/portal/how-to/*.yaml`.
    public var howTos: [NamedText]
    /// The examples' READMEs, `examples/NAME/README.md`.
    public var examples: [NamedText] = []
    /// The status `appctl` exits with for each error code (the CLI's own mapping).
    public var exitStatuses: [String: Int32] = [:]

    /// Creates inputs.
    public init(schema: NamedText, apps: [NamedText], registries: [NamedText], api: APIContract, commands: [CLICommand],
                errorCodes: [String] = ErrorCode.allCases.map(\.rawValue), adapters: [RuntimeAdapterCapabilities] = [],
                support: [ManifestFeatureSupport] = ManifestFeatureSupport.declared,
                onboarding: [NamedText] = [], howTos: [NamedText] = []) {
        self.adapters = adapters
        self.onboarding = onboarding.sorted { $0.file.localizedStandardCompare($1.file) == .orderedAscending }
        self.howTos = howTos.sorted { $0.file.localizedStandardCompare($1.file) == .orderedAscending }
        self.support = support
        self.schema = schema
        self.apps = apps.sorted { $0.file < $1.file }
        self.registries = registries.sorted { $0.file < $1.file }
        self.api = api
        self.commands = commands
        self.errorCodes = errorCodes.sorted()
    }

    /// Reads the contract files of a checkout.
    /// - Throws: ``ErrorCode/configInvalid`` naming a file that cannot be read.
    public static func load(checkout: URL, commands: [CLICommand], api: APIContract,
                            adapters: [RuntimeAdapterCapabilities] = []) throws(PlatformError) -> PortalInputs {
        func read(_ relative: String) throws(PlatformError) -> NamedText {
            guard let text = try? String(contentsOf: checkout.appendingPathComponent(relative), encoding: .utf8) else {
                throw PlatformError(.configInvalid, "cannot read \(relative) under \(checkout.path)")
            }
            return NamedText(file: relative, text: text)
        }
        func folder(_ relative: String) throws(PlatformError) -> [NamedText] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: checkout.appendingPathComponent(relative).path)) ?? []
            var files: [NamedText] = []
            for name in names.sorted() where name.hasSuffix(".yaml") { files.append(try read("\(relative)/\(name)")) }
            guard !files.isEmpty else { throw PlatformError(.configInvalid, "no YAML files in \(relative) under \(checkout.path)") }
            return files
        }
        var examples: [NamedText] = []
        let names = (try? FileManager.default.contentsOfDirectory(atPath: checkout.appendingPathComponent("examples").path)) ?? []
        for name in names.sorted() where FileManager.default.fileExists(atPath: checkout.appendingPathComponent("examples/\(name)/README.md").path) {
            examples.append(try read("examples/\(name)/README.md"))
        }
        var inputs = PortalInputs(
            schema: try read("manifests/schema/app-manifest.v1.schema.json"), apps: try folder("manifests/apps"),
            registries: try folder("manifests/platform"), api: api, commands: commands,
            adapters: adapters, onboarding: try folder("manifests/portal/onboarding"), howTos: try folder("manifests/portal/how-to"))
        inputs.examples = examples
        inputs.sdkExamples = [try read(SDKPages.pythonFirstCall), try read(SDKPages.swiftFirstCall)]
        return inputs
    }
}
