import Foundation

/// One app's portal page, read from its manifest alone: what it is, how to launch and reach it,
/// what it asks for. Read generically (every field from the manifest's own keys), so a new app
/// or a new parameter, endpoint, volume or secret shows up with no edit here.
struct AppPage: Equatable {
    /// A `label: value` fact (the about and resources tables).
    struct Fact: Equatable {
        var label: String
        var value: String
    }

    /// One entry of `params`.
    struct Param: Equatable {
        var name: String
        var type: String
        var required: Bool
        var defaultValue: String?
        var allowed: [String]
        var description: String
    }

    /// One entry of `endpoints`.
    struct Endpoint: Equatable {
        var name: String
        var port: String
        var proto: String
    }

    /// One entry of `connect`, with the `appctl connect` line that opens it.
    struct Action: Equatable {
        var name: String
        var type: String
        var endpoint: String
        var ttlSeconds: String?
        var command: String
        /// Its other settings (`pathPrefix: keep`, `scopes: …`), as written, so a field the schema
        /// adds later shows without an edit here.
        var more: String = ""
    }

    /// One entry of `volumes`.
    struct Volume: Equatable {
        var name: String
        var mountPath: String
        var kind: String
        var sizeMiB: String?
        var readOnly: Bool
    }

    /// One entry of `secrets`: the name in the instance and the project secret it is read from
    /// (never a value: the manifest has none).
    struct Secret: Equatable {
        var name: String
        var secret: String
        /// The project the reference names; nil for `secret:///NAME` (the launching project's).
        var project: String?
        var env: Bool
    }

    var name: String
    var file: String
    var description: String
    var about: [Fact]
    var params: [Param]
    var endpoints: [Endpoint]
    var actions: [Action]
    var resources: [Fact]
    var volumes: [Volume]
    var secrets: [Secret]
    var lifecycle: [Fact]
    /// The adapters the manifest lists (`runtime.adapters`), in its order.
    var adapters: [String]
    /// The "launch it" shell lines (``AppPage/snippet(for:)``).
    var snippet: String

    /// Reads a manifest; nil when it has no `metadata.name`.
    init?(manifest: [String: Any], file: String) {
        let metadata = manifest["metadata"] as? [String: Any] ?? [:]
        guard let name = metadata["name"] as? String else { return nil }
        self.name = name
        self.file = file
        description = Self.text(metadata["description"])
        let artifact = manifest["artifact"] as? [String: Any] ?? [:]
        about = [
            Fact(label: "Version", value: Self.text(metadata["version"])), Fact(label: "Owner", value: Self.text(metadata["owner"])),
            Fact(label: "Lifecycle", value: Self.text(metadata["lifecycle"])), Fact(label: "Mode", value: Self.text(manifest["mode"])),
            Fact(label: "Image", value: Self.text(artifact["reference"])), Fact(label: "Required trust", value: Self.text(artifact["requiredTrust"])),
            Fact(label: "Billed in", value: Self.text((manifest["billing"] as? [String: Any])?["usageUnit"])),
            Fact(label: "Runs", value: ((manifest["command"] as? [Any] ?? []) + (manifest["args"] as? [Any] ?? [])).map { Self.text($0) }
                .joined(separator: " ")),
            Fact(label: "Ready when", value: Self.probe((manifest["health"] as? [String: Any])?["readiness"])),
            Fact(label: "Ready within", value: ((manifest["evidence"] as? [String: Any])?["readyWithinMinutes"]).map { "\(Self.text($0)) min" } ?? ""),
        ].filter { !$0.value.isEmpty }
            // Any other metadata (docs links, labels a later schema adds) shows as it is written.
            + metadata.keys.filter { !["name", "description", "version", "owner", "lifecycle"].contains($0) }.sorted()
            .map { Fact(label: $0, value: Self.text(metadata[$0])) }
        params = Self.entries(manifest["params"]).map { entry in
            Param(name: Self.text(entry["name"]), type: Self.text(entry["type"]), required: entry["required"] as? Bool ?? false,
                  defaultValue: entry["default"].map { Self.text($0) }, allowed: (entry["enum"] as? [Any] ?? []).map { Self.text($0) },
                  description: Self.text(entry["description"]))
        }
        endpoints = Self.entries(manifest["endpoints"]).map {
            Endpoint(name: Self.text($0["name"]), port: Self.text($0["port"]), proto: Self.text($0["protocol"]))
        }
        actions = Self.entries(manifest["connect"]).map { entry in
            let action = Self.text(entry["name"]), type = Self.text(entry["type"])
            return Action(name: action, type: type, endpoint: Self.text(entry["endpoint"]),
                          ttlSeconds: entry["credentialTTLSeconds"].map { Self.text($0) }, command: Self.connectCommand(action: action, type: type),
                          more: Self.text(entry.filter { !["name", "type", "endpoint", "credentialTTLSeconds"].contains($0.key) }))
        }
        let resources = manifest["resources"] as? [String: Any] ?? [:]
        self.resources = Self.resourceFacts(resources)
        volumes = Self.entries(manifest["volumes"]).map { entry in
            let persistent = entry["persistent"] as? Bool ?? false
            return Volume(name: Self.text(entry["name"]), mountPath: Self.text(entry["mountPath"]), kind: persistent ? "persistent" : "scratch",
                          sizeMiB: entry["sizeMiB"].map { Self.text($0) }, readOnly: entry["readOnly"] as? Bool ?? false)
        }
        secrets = Self.entries(manifest["secrets"]).map { entry in
            // secret://PROJECT/NAME or secret:///NAME (the launching project's).
            let reference = Self.text(entry["ref"]).replacingOccurrences(of: "secret://", with: "")
            let parts = reference.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            let project = parts.count == 2 && !parts[0].isEmpty ? parts[0] : nil
            return Secret(name: Self.text(entry["name"]), secret: parts.last ?? reference, project: project, env: entry["env"] as? Bool ?? false)
        }
        let lifecycle = manifest["lifecycle"] as? [String: Any] ?? [:]
        self.lifecycle = lifecycle.keys.sorted().map { Fact(label: $0, value: Self.text(lifecycle[$0])) }
        adapters = ((manifest["runtime"] as? [String: Any])?["adapters"] as? [Any] ?? []).map { Self.text($0) }
        snippet = ""
        snippet = Self.snippet(for: self)
    }

    /// cpu, memory, disk, GPU and nodes, as a reader compares them with a quota.
    static func resourceFacts(_ resources: [String: Any]) -> [Fact] {
        var facts: [Fact] = []
        if let cpu = resources["cpuMillicores"] as? Int {
            facts.append(Fact(label: "CPU", value: "\(cpu) millicores (\(Self.decimal(Double(cpu) / 1000)) \(cpu == 1000 ? "core" : "cores"))"))
        }
        for (key, label) in [("memoryMiB", "Memory"), ("diskMiB", "Scratch disk")] {
            if let value = resources[key] { facts.append(Fact(label: label, value: "\(text(value)) MiB")) }
        }
        if let gpu = resources["gpu"] as? [String: Any] {
            var parts = ["\(text(gpu["count"])) ×"]
            let models = (gpu["models"] as? [Any] ?? []).map { text($0) }
            parts.append(models.isEmpty ? "any model" : models.joined(separator: " or "))
            if let sharing = gpu["sharing"] { parts.append("sharing \(text(sharing))") }
            if let profile = gpu["migProfile"] { parts.append("MIG profile \(text(profile))") }
            if let memory = gpu["minMemoryMiB"] { parts.append("at least \(text(memory)) MiB each") }
            facts.append(Fact(label: "GPU", value: parts.joined(separator: ", ").replacingOccurrences(of: "×,", with: "×")))
        } else {
            facts.append(Fact(label: "GPU", value: "none (launch with --gpus MODEL:N to ask for some)"))
        }
        facts.append(Fact(label: "Nodes", value: text(resources["nodes"] ?? 1)))
        return facts
    }

    /// `appctl connect` for one action, by its type: web and api print a one-time URL, a port
    /// forward listens on a free local port, ssh certifies a key and writes an ssh config.
    static func connectCommand(action: String, type: String) -> String {
        let base = "appctl connect \"$INSTANCE\" \(action) --project \"$PROJECT\""
        switch type {
        case "port-forward": return base + " --local-port 0"
        case "ssh": return base + " --ssh"
        default: return base + " --print-url"
        }
    }

    /// The manifest's list of maps (`params`, `endpoints`, …); empty when absent.
    static func entries(_ value: Any?) -> [[String: Any]] {
        (value as? [Any] ?? []).compactMap { $0 as? [String: Any] }
    }

    /// A scalar or list as the page writes it; Yams gives Int, Double, Bool or String.
    static func text(_ value: Any?) -> String {
        switch value {
        case nil: ""
        case let list as [Any]: list.map { text($0) }.joined(separator: ", ")
        case let map as [String: Any]: map.keys.sorted().map { "\($0): \(text(map[$0]))" }.joined(separator: ", ")
        case let double as Double: decimal(double)
        case let value?: "\(value)"
        }
    }

    /// `GET /healthz on http` for a probe with a path, `a probe of ssh` without; empty without a probe.
    static func probe(_ value: Any?) -> String {
        guard let probe = value as? [String: Any], let endpoint = probe["endpoint"] else { return "" }
        return probe["path"].map { "GET \(text($0)) on \(text(endpoint))" } ?? "a probe of \(text(endpoint))"
    }

    /// `0.25`, `8` — no trailing `.0`.
    static func decimal(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
