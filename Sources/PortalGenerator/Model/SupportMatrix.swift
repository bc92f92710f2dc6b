import Foundation
import PlatformContracts

/// The manifest/launch/connect matrix: one row per supported app, the manifest features it
/// uses, and per adapter whether launching it and each of its connect actions is
/// expressible and validated, backend or compatibility logic, or a gap — computed from the
/// manifests, the adapters' declared capabilities and ``ManifestFeatureSupport``.
struct SupportMatrix: Equatable {
    struct Cell: Equatable {
        var level: String
        var reason: String
    }

    struct Row: Equatable {
        var app: String
        var features: [String]
        var launch: [Cell]
        var connect: [Cell]
    }

    var adapters: [String]
    var rows: [Row]

    /// - Parameter manifests: The supported apps' manifests, already read (by name).
    static func build(manifests: [(name: String, manifest: [String: Any])], adapters declared: [RuntimeAdapterCapabilities],
                      support: [ManifestFeatureSupport]) -> SupportMatrix {
        let capabilities = Dictionary(declared.map { ($0.name, $0) }) { first, _ in first }
        // Columns: the platform's adapters, then any a manifest asks for that the platform lacks.
        var adapters = declared.map(\.name)
        for (_, manifest) in manifests {
            for name in (manifest["runtime"] as? [String: Any])?["adapters"] as? [String] ?? [] where !adapters.contains(name) {
                adapters.append(name)
            }
        }
        let features = Array(Set(support.map(\.feature))).sorted()
        var rows: [Row] = []
        for (name, manifest) in manifests.sorted(by: { $0.name < $1.name }) {
            let used = features.filter { value(manifest, $0) != nil && !(($0 == "resources.nodes") && (value(manifest, $0) as? Int ?? 1) <= 1) }
            let listed = (manifest["runtime"] as? [String: Any])?["adapters"] as? [String]
            let mode = manifest["mode"] as? String ?? ""
            let actions = (manifest["connect"] as? [[String: Any]] ?? []).map { "\($0["name"] ?? "?") (\($0["type"] ?? "?"))" }
            var launch: [Cell] = []
            var connect: [Cell] = []
            for adapter in adapters {
                if let listed, !listed.contains(adapter) {
                    launch.append(Cell(level: "-", reason: "not listed in runtime.adapters"))
                    connect.append(Cell(level: "-", reason: "not listed in runtime.adapters"))
                    continue
                }
                guard let capability = capabilities[adapter] else {
                    launch.append(Cell(level: "gap", reason: "the platform has no \(adapter) adapter"))
                    connect.append(Cell(level: "gap", reason: "the platform has no \(adapter) adapter"))
                    continue
                }
                guard capability.modes.contains(mode) else {
                    launch.append(Cell(level: "gap", reason: "the \(adapter) adapter does not run mode \(mode)"))
                    connect.append(Cell(level: "gap", reason: "not launchable here"))
                    continue
                }
                let rowsHere = used.compactMap { ManifestFeatureSupport.lookup($0, adapter: adapter, in: support) }
                let gaps = rowsHere.filter { $0.level == .gap }, backend = rowsHere.filter { $0.level == .backend }
                if !gaps.isEmpty {
                    launch.append(Cell(level: "gap", reason: gaps.map { "\($0.feature): \($0.reason)" }.joined(separator: "; ")))
                } else if !backend.isEmpty {
                    launch.append(Cell(level: "backend", reason: backend.map { "\($0.feature): \($0.reason)" }.joined(separator: "; ")))
                } else {
                    launch.append(Cell(level: "validated", reason: "every feature it uses is applied at launch"))
                }
                if actions.isEmpty {
                    connect.append(Cell(level: "-", reason: "no connect actions"))
                } else if let row = ManifestFeatureSupport.lookup("connect", adapter: adapter, in: support) {
                    connect.append(Cell(level: row.level.rawValue, reason: actions.joined(separator: ", ")))
                } else {
                    connect.append(Cell(level: "gap", reason: "connect is not declared for \(adapter)"))
                }
            }
            rows.append(Row(app: name, features: used, launch: launch, connect: connect))
        }
        return SupportMatrix(adapters: adapters, rows: rows)
    }

    /// The value at a dotted path of a manifest.
    static func value(_ manifest: [String: Any], _ path: String) -> Any? {
        var current: Any? = manifest
        for key in path.split(separator: ".") { current = (current as? [String: Any])?[String(key)] }
        return current
    }
}
