import Foundation

/// The rules a schema cannot express: cross references, uniqueness, registries, policy.
struct SemanticChecks {
    let context: ManifestContext
    let file: String
    var diagnostics: [ManifestDiagnostic] = []

    init(context: ManifestContext, file: String) {
        self.context = context
        self.file = file
    }

    mutating func report(_ code: String, _ pointer: String, _ value: LocatedValue, _ message: String, severity: ManifestDiagnostic.Severity = .error) {
        diagnostics.append(ManifestDiagnostic(severity: severity, code: code, pointer: pointer, file: file, at: value.location, message: message))
    }

    mutating func check(_ manifest: LocatedValue) {
        let endpoints = checkEndpoints(manifest)
        checkProbes(manifest, endpoints: endpoints)
        checkConnect(manifest, endpoints: endpoints)
        checkParams(manifest)
        checkRegistries(manifest)
        checkUnique(manifest, "secrets", "name", code: "manifest.secret_duplicate")
        checkUnique(manifest, "volumes", "name", code: "manifest.volume_duplicate")
        if manifest["mode"]?.stringValue == "interactive", manifest["connect"]?.elements.isEmpty ?? true {
            report("manifest.connect_missing", "/mode", manifest["mode"]!, "an interactive app has no connect action, so users cannot reach it", severity: .warning)
        }
        if manifest["mode"]?.stringValue == "job", let idle = manifest["lifecycle"]?["idleStopMinutes"] {
            report("manifest.idle_stop_on_job", "/lifecycle/idleStopMinutes", idle, "a job runs to completion; idle stop applies to interactive apps and services", severity: .warning)
        }
    }

    /// Endpoint name → protocol; duplicate names and ports reported.
    mutating func checkEndpoints(_ manifest: LocatedValue) -> [String: String] {
        var byName: [String: String] = [:]
        var ports: [Int64: String] = [:]
        for (index, endpoint) in (manifest["endpoints"]?.elements ?? []).enumerated() {
            guard let name = endpoint["name"]?.stringValue else { continue }
            if byName[name] != nil {
                report("manifest.endpoint_duplicate", "/endpoints/\(index)/name", endpoint["name"]!, "endpoint `\(name)` is declared twice")
            }
            byName[name] = endpoint["protocol"]?.stringValue ?? ""
            if let port = endpoint["port"]?.integerValue {
                if let other = ports[port] {
                    report("manifest.port_duplicate", "/endpoints/\(index)/port", endpoint["port"]!, "port \(port) is already used by endpoint `\(other)`")
                }
                ports[port] = name
            }
        }
        return byName
    }

    mutating func checkProbes(_ manifest: LocatedValue, endpoints: [String: String]) {
        for kind in ["startup", "readiness", "liveness"] {
            guard let probe = manifest["health"]?[kind], let reference = probe["endpoint"] else { continue }
            let name = reference.stringValue ?? ""
            if endpoints[name] == nil {
                report("manifest.endpoint_unknown", "/health/\(kind)/endpoint", reference,
                       "no endpoint named `\(name)`\(DidYouMean.hint(for: name, among: endpoints.keys))")
            } else if endpoints[name] == "http", probe["path"] == nil {
                report("manifest.probe_path_missing", "/health/\(kind)", probe, "an HTTP probe needs a `path`")
            }
        }
    }

    mutating func checkConnect(_ manifest: LocatedValue, endpoints: [String: String]) {
        let allowed: [String: Set<String>] = ["web": ["http"], "api": ["http"], "ssh": ["ssh"], "port-forward": ["http", "tcp", "ssh"]]
        var names = Set<String>()
        for (index, action) in (manifest["connect"]?.elements ?? []).enumerated() {
            let pointer = "/connect/\(index)"
            if let name = action["name"]?.stringValue, !names.insert(name).inserted {
                report("manifest.connect_duplicate", "\(pointer)/name", action["name"]!, "connect action `\(name)` is declared twice")
            }
            if let reference = action["endpoint"], let name = reference.stringValue {
                if let proto = endpoints[name] {
                    if let type = action["type"]?.stringValue, let protocols = allowed[type], !protocols.contains(proto) {
                        report("manifest.connect_protocol_mismatch", "\(pointer)/endpoint", reference,
                               "a `\(type)` action needs an endpoint speaking \(protocols.sorted().joined(separator: " or ")); `\(name)` speaks \(proto)")
                    }
                } else {
                    report("manifest.endpoint_unknown", "\(pointer)/endpoint", reference,
                           "no endpoint named `\(name)`\(DidYouMean.hint(for: name, among: endpoints.keys))")
                }
            }
            if let ttl = action["credentialTTLSeconds"], let seconds = ttl.integerValue, seconds > context.maximumCredentialTTL {
                report("manifest.ttl_exceeds_policy", "\(pointer)/credentialTTLSeconds", ttl,
                       "credential TTL \(seconds) s is above the policy maximum of \(context.maximumCredentialTTL) s")
            }
            checkScopes(action["scopes"], pointer: "\(pointer)/scopes")
        }
    }

    mutating func checkParams(_ manifest: LocatedValue) {
        var declared: [String: LocatedValue] = [:]
        for (index, param) in (manifest["params"]?.elements ?? []).enumerated() {
            guard let name = param["name"]?.stringValue else { continue }
            if declared[name] != nil {
                report("manifest.param_duplicate", "/params/\(index)/name", param["name"]!, "parameter `\(name)` is declared twice")
            }
            declared[name] = param
            if let type = param["type"]?.stringValue, let value = param["default"] {
                let matches = (type == "string" && value.stringValue != nil) || (type == "integer" && value.integerValue != nil)
                    || (type == "boolean" && value.typeName == "boolean")
                if !matches {
                    report("manifest.param_default_type", "/params/\(index)/default", value, "the default of `\(name)` is \(article(value.typeName)) \(value.typeName), not \(article(type)) \(type)")
                }
            }
            if let choices = param["enum"]?.elements, let value = param["default"],
               !choices.contains(where: { $0.stringValue == value.stringValue && $0.integerValue == value.integerValue }) {
                report("manifest.param_default_not_in_enum", "/params/\(index)/default", value, "the default of `\(name)` is not one of its enum values")
            }
        }
        var references: [(String, String, LocatedValue)] = []
        for (index, item) in (manifest["command"]?.elements ?? []).enumerated() { references.append(("/command/\(index)", item.stringValue ?? "", item)) }
        for (index, item) in (manifest["args"]?.elements ?? []).enumerated() { references.append(("/args/\(index)", item.stringValue ?? "", item)) }
        if case .object(let members, _)? = manifest["env"] {
            for member in members { references.append(("/env/\(escape(member.key))", member.value.stringValue ?? "", member.value)) }
        }
        for (pointer, text, value) in references {
            for name in Self.parameterReferences(in: text) where declared[name] == nil {
                report("manifest.param_unknown", pointer, value, "`${params.\(name)}` names no declared parameter\(DidYouMean.hint(for: name, among: declared.keys))")
            }
        }
    }

    func article(_ word: String) -> String {
        "aeiou".contains(word.first ?? "x") ? "an" : "a"
    }

    static func parameterReferences(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "${params.") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: "}") else { break }
            names.append(String(rest[..<end]))
            rest = rest[rest.index(after: end)...]
        }
        return names
    }

    mutating func checkRegistries(_ manifest: LocatedValue) {
        if let type = manifest["artifact"]?["type"], let id = type.stringValue, !context.artifactTypes.contains(id) {
            report("manifest.artifact_type_unknown", "/artifact/type", type,
                   "artifact type `\(id)` is not in the artifact-type registry\(DidYouMean.hint(for: id, among: context.artifactTypes))")
        }
        if let unit = manifest["billing"]?["usageUnit"], let id = unit.stringValue {
            let active = context.usageUnits.subtracting(context.retiredUsageUnits)
            if !context.usageUnits.contains(id) {
                report("manifest.usage_unit_unknown", "/billing/usageUnit", unit,
                       "usage unit `\(id)` is not in the usage-unit registry\(DidYouMean.hint(for: id, among: active))")
            } else if context.retiredUsageUnits.contains(id) {
                report("manifest.usage_unit_retired", "/billing/usageUnit", unit, "usage unit `\(id)` is retired and is no longer metered")
            } else if context.gpuUsageUnits.contains(id), (manifest["resources"]?["gpu"]?["count"]?.integerValue ?? 0) < 1 {
                // Metered GPU time of an app that holds no GPU would always be zero: a mistake.
                report("manifest.usage_unit_needs_gpu", "/billing/usageUnit", unit,
                       "usage unit `\(id)` meters GPU time, but `resources.gpu.count` requests no GPU")
            }
        }
        if let gpu = manifest["resources"]?["gpu"] {
            var supported: Set<String>?
            for (index, model) in (gpu["models"]?.elements ?? []).enumerated() {
                guard let id = model.stringValue else { continue }
                if let profiles = context.gpuModels[id] {
                    supported = supported.map { $0.intersection(profiles) } ?? profiles
                } else {
                    report("manifest.gpu_model_unknown", "/resources/gpu/models/\(index)", model,
                           "GPU model `\(id)` is not in the GPU model list\(DidYouMean.hint(for: id, among: context.gpuModels.keys))")
                }
            }
            let sharing = gpu["sharing"]?.stringValue
            if sharing == "mig", gpu["migProfile"] == nil {
                report("manifest.mig_profile_missing", "/resources/gpu", gpu, "MIG sharing needs a `migProfile`")
            }
            if let profile = gpu["migProfile"], let name = profile.stringValue {
                if sharing != "mig" {
                    report("manifest.mig_profile_invalid", "/resources/gpu/migProfile", profile, "a MIG profile needs `sharing: mig`")
                } else if let supported, !supported.contains(name) {
                    report("manifest.mig_profile_invalid", "/resources/gpu/migProfile", profile,
                           "MIG profile `\(name)` is not offered by every listed model\(DidYouMean.hint(for: name, among: supported))")
                }
            }
        }
        checkScopes(manifest["access"]?["launchScopes"], pointer: "/access/launchScopes")
        checkScopes(manifest["access"]?["connectScopes"], pointer: "/access/connectScopes")
    }

    mutating func checkScopes(_ list: LocatedValue?, pointer: String) {
        for (index, scope) in (list?.elements ?? []).enumerated() {
            guard let id = scope.stringValue, !context.scopes.contains(id) else { continue }
            report("manifest.scope_unknown", "\(pointer)/\(index)", scope,
                   "scope `\(id)` is not in the scope registry\(DidYouMean.hint(for: id, among: context.scopes))")
        }
    }

    mutating func checkUnique(_ manifest: LocatedValue, _ list: String, _ key: String, code: String) {
        var seen = Set<String>()
        for (index, item) in (manifest[list]?.elements ?? []).enumerated() {
            guard let name = item[key]?.stringValue else { continue }
            if !seen.insert(name).inserted {
                report(code, "/\(list)/\(index)/\(key)", item[key]!, "`\(name)` is declared twice in \(list)")
            }
        }
    }
}
