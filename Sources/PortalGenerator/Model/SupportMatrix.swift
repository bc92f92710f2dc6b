import Foundation
import PlatformContracts

/// The manifest/launch/connect matrix: one row per supported app, the manifest features it
/// uses, and per adapter whether launching it and each of its connect actions is
/// expressible and validated, backend or compatibility logic, or a gap — computed from the
/// manifests, the adapters' declared capabilities, ``ManifestFeatureSupport`` and
/// ``LaunchFeatureProof``.
///
/// The grain is one feature on one adapter (``features``): a cell is `validated` only when
/// the support table says the feature is applied there *and* a proof names a test that
/// launched it there. An app's cell is the worst of the cells of the features it uses, so
/// an app cannot be `validated` on the strength of another adapter's tests.
struct SupportMatrix: Equatable {
    struct Cell: Equatable {
        var level: String
        var reason: String
        /// For a gap: what closes it (besides the code).
        var closedBy: [GapClosure] = []
        /// For a validated cell: the tests that launched the feature there (`Suite/function`).
        var proofs: [String] = []
    }

    /// One manifest feature on each of the platform's adapters.
    struct FeatureRow: Equatable {
        var feature: String
        var cells: [Cell]
    }

    struct Row: Equatable {
        var app: String
        var features: [String]
        var launch: [Cell]
        var connect: [Cell]
        /// What closes this app's gaps: per kind, the features (with their adapters) that wait on it.
        var closes: [Closing]
    }

    /// One kind of closure and what waits on it (`params (local, slurm)`).
    struct Closing: Equatable {
        var closure: GapClosure
        var waiting: [String]
    }

    /// The app columns: the platform's adapters, then any a manifest asks for that the platform lacks.
    var adapters: [String]
    /// The platform's adapters: the feature table's columns.
    var platformAdapters: [String]
    var features: [FeatureRow]
    var rows: [Row]

    /// - Parameter manifests: The supported apps' manifests, already read (by name).
    static func build(manifests: [(name: String, manifest: [String: Any])], adapters declared: [RuntimeAdapterCapabilities],
                      support: [ManifestFeatureSupport], proofs: [LaunchFeatureProof]) -> SupportMatrix {
        let capabilities = Dictionary(declared.map { ($0.name, $0) }) { first, _ in first }
        let platformAdapters = declared.map(\.name).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        var adapters = platformAdapters
        for (_, manifest) in manifests {
            for name in (manifest["runtime"] as? [String: Any])?["adapters"] as? [String] ?? [] where !adapters.contains(name) {
                adapters.append(name)
            }
        }
        let features = Array(Set(support.map(\.feature))).sorted()
        var cellOf: [String: [String: Cell]] = [:]
        for feature in features {
            for adapter in platformAdapters {
                cellOf[feature, default: [:]][adapter] = cell(feature, adapter, support: support, proofs: proofs)
            }
        }
        let featureRows = features.map { feature in
            FeatureRow(feature: feature, cells: platformAdapters.map { cellOf[feature]?[$0] ?? Cell(level: "-", reason: "") })
        }
        var rows: [Row] = []
        for (name, manifest) in manifests.sorted(by: { $0.name < $1.name }) {
            let used = features.filter { value(manifest, $0) != nil && !(($0 == "resources.nodes") && (value(manifest, $0) as? Int ?? 1) <= 1) }
            let listed = (manifest["runtime"] as? [String: Any])?["adapters"] as? [String]
            let mode = manifest["mode"] as? String ?? ""
            let actions = (manifest["connect"] as? [[String: Any]] ?? []).map { "\($0["name"] ?? "?") (\($0["type"] ?? "?"))" }
            var launch: [Cell] = []
            var connect: [Cell] = []
            var waiting: [GapClosure: [String: [String]]] = [:]
            func wait(_ cell: Cell, _ feature: String, _ adapter: String) {
                for closure in cell.closedBy { waiting[closure, default: [:]][feature, default: []].append(adapter) }
            }
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
                // A feature keyed by adapter (runtime.overrides: {slurm: …}) is used only on the adapters it names.
                let here = used.filter { feature in
                    guard let keyed = value(manifest, feature) as? [String: Any], !keyed.isEmpty,
                          Set(keyed.keys).isSubset(of: Set(adapters)) else { return true }
                    return keyed[adapter] != nil
                }.compactMap { feature in
                    Self.isAppSpecific(feature, app: name, support: support)
                        ? (feature, Self.cell(feature, adapter, app: name, support: support, proofs: proofs))
                        : cellOf[feature]?[adapter].map { (feature, $0) }
                }.filter { $0.1.level != "-" }
                let gaps = here.filter { $0.1.level == "gap" }, backend = here.filter { $0.1.level == "backend" }
                if !gaps.isEmpty {
                    launch.append(Cell(level: "gap", reason: gaps.map { "\($0.0): \($0.1.reason)" }.joined(separator: "; "),
                                       closedBy: Array(Set(gaps.flatMap(\.1.closedBy))).sorted()))
                    for (feature, cell) in gaps where feature != "connect" { wait(cell, feature, adapter) }
                } else if !backend.isEmpty {
                    launch.append(Cell(level: "backend", reason: backend.map { "\($0.0): \($0.1.reason)" }.joined(separator: "; ")))
                } else {
                    launch.append(Cell(level: "validated", reason: "every feature it uses was launched on \(adapter) by a test",
                                       proofs: Array(Set(here.flatMap(\.1.proofs))).sorted()))
                }
                if actions.isEmpty {
                    connect.append(Cell(level: "-", reason: "no connect actions"))
                } else if let row = cellOf["connect"]?[adapter], row.level != "-" {
                    let reason = row.level == "validated" ? actions.joined(separator: ", ") : "\(actions.joined(separator: ", ")): \(row.reason)"
                    connect.append(Cell(level: row.level, reason: reason, closedBy: row.closedBy, proofs: row.proofs))
                    if row.level == "gap" { wait(row, "connect", adapter) }
                } else {
                    connect.append(Cell(level: "gap", reason: "connect is not declared for \(adapter)"))
                }
            }
            let closes = waiting.keys.sorted().map { closure in
                Closing(closure: closure, waiting: waiting[closure, default: [:]].keys.sorted().map { feature in
                    "\(feature) (\(waiting[closure, default: [:]][feature, default: []].joined(separator: ", ")))"
                })
            }
            rows.append(Row(app: name, features: used, launch: launch, connect: connect, closes: closes))
        }
        return SupportMatrix(adapters: adapters, platformAdapters: platformAdapters, features: featureRows, rows: rows)
    }

    /// Whether `app`'s cell for `feature` differs from the feature table's: a row names the app,
    /// or the feature is proven per app.
    static func isAppSpecific(_ feature: String, app: String, support: [ManifestFeatureSupport]) -> Bool {
        support.contains { $0.feature == feature && ($0.perApp || $0.apps?.contains(app) == true) }
    }

    /// One feature on one adapter (for one app, when `app` is given): the support row's claim,
    /// held to the proofs — for a per-app feature, only the proofs that launched that app.
    static func cell(_ feature: String, _ adapter: String, app: String? = nil, support: [ManifestFeatureSupport],
                     proofs: [LaunchFeatureProof]) -> Cell {
        guard let row = ManifestFeatureSupport.lookup(feature, adapter: adapter, app: app, in: support) else {
            return Cell(level: "-", reason: "no support row for \(adapter)")
        }
        let proofs = row.perApp && app != nil ? proofs.filter { $0.app == app } : proofs
        let subject = row.perApp && app != nil ? "\(app!) on \(adapter)" : "it on \(adapter)"
        switch row.level {
        case .gap:
            return Cell(level: "gap", reason: row.reason, closedBy: row.closedBy.sorted())
        case .backend:
            return Cell(level: "backend", reason: row.reason)
        case .validated:
            let tests = proofs.filter { $0.feature == feature && $0.adapter == adapter }.map(\.test)
            guard !tests.isEmpty else {
                return Cell(level: "gap", reason: "\(row.reason), but no test has launched \(subject) yet", closedBy: [.smokeTest])
            }
            return Cell(level: "validated", reason: row.reason, proofs: Array(Set(tests)).sorted())
        }
    }

    /// The value at a dotted path of a manifest.
    static func value(_ manifest: [String: Any], _ path: String) -> Any? {
        var current: Any? = manifest
        for key in path.split(separator: ".") { current = (current as? [String: Any])?[String(key)] }
        return current
    }
}
