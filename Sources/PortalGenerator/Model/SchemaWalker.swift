import Foundation

/// Flattens a JSON Schema (the `$defs`/`$ref` subset the manifest schema uses) into one row
/// per field: `resources.gpu.count`, `endpoints[].port`, …
struct SchemaWalker {
    let root: [String: Any]

    func fields() -> [PortalModel.SchemaField] {
        var result: [PortalModel.SchemaField] = []
        walk(root, path: "", required: true, into: &result, depth: 0)
        return result
    }

    private func resolve(_ node: [String: Any]) -> [String: Any] {
        guard let reference = node["$ref"] as? String, reference.hasPrefix("#/$defs/"),
              let definitions = root["$defs"] as? [String: Any],
              let target = definitions[String(reference.dropFirst("#/$defs/".count))] as? [String: Any] else { return node }
        var merged = resolve(target)
        for (key, value) in node where key != "$ref" { merged[key] = value }
        return merged
    }

    private func walk(_ raw: [String: Any], path: String, required: Bool, into result: inout [PortalModel.SchemaField], depth: Int) {
        guard depth < 12 else { return }
        let node = resolve(raw)
        if !path.isEmpty {
            result.append(.init(path: path, type: Self.type(of: node, resolve: resolve), required: required,
                                allowed: Self.allowed(node), description: node["description"] as? String ?? ""))
        }
        if let properties = node["properties"] as? [String: Any] {
            let requiredKeys = Set(node["required"] as? [String] ?? [])
            for key in properties.keys.sorted() {
                guard let child = properties[key] as? [String: Any] else { continue }
                walk(child, path: path.isEmpty ? key : "\(path).\(key)", required: requiredKeys.contains(key), into: &result, depth: depth + 1)
            }
        }
        if let items = node["items"] as? [String: Any] {
            let item = resolve(items)
            if item["properties"] != nil {
                let requiredKeys = Set(item["required"] as? [String] ?? [])
                for key in ((item["properties"] as? [String: Any]) ?? [:]).keys.sorted() {
                    guard let child = (item["properties"] as? [String: Any])?[key] as? [String: Any] else { continue }
                    walk(child, path: "\(path)[].\(key)", required: requiredKeys.contains(key), into: &result, depth: depth + 1)
                }
            }
        }
        if let additional = node["additionalProperties"] as? [String: Any] {
            let value = resolve(additional)
            if value["properties"] != nil { walk(value, path: "\(path).NAME", required: false, into: &result, depth: depth + 1) }
        }
    }

    static func type(of node: [String: Any], resolve: ([String: Any]) -> [String: Any]) -> String {
        if node["enum"] != nil { return "enum" }
        if let types = node["type"] as? [String] { return types.joined(separator: " or ") }
        if let type = node["type"] as? String {
            if type == "array", let items = node["items"] as? [String: Any] {
                return "array of " + Self.type(of: resolve(items), resolve: resolve)
            }
            if type == "object", let additional = node["additionalProperties"] as? [String: Any] {
                return "map of " + Self.type(of: resolve(additional), resolve: resolve)
            }
            return type
        }
        if node["oneOf"] != nil || node["anyOf"] != nil { return "one of several" }
        return "any"
    }

    static func allowed(_ node: [String: Any]) -> String {
        var parts: [String] = []
        if let values = node["enum"] as? [Any] { parts.append(values.map { "\($0)" }.joined(separator: ", ")) }
        if let minimum = node["minimum"] { parts.append("≥ \(minimum)") }
        if let maximum = node["maximum"] { parts.append("≤ \(maximum)") }
        if let pattern = node["pattern"] as? String { parts.append("pattern \(pattern)") }
        if let minItems = node["minItems"] { parts.append("at least \(minItems) item(s)") }
        if let constant = node["const"] { parts.append("exactly \(constant)") }
        return parts.joined(separator: "; ")
    }
}
