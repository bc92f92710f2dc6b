import Foundation

/// The three places outside ``BoundaryRule`` that write down each target's layer number:
/// `Package.swift` (the `// MARK: Layer N` section a target is declared in), the README's
/// source tree (`Name/  layer N: …`) and the layer table of `docs/ARCHITECTURE.md`
/// (`| N | … | `Target`, … |`). Each must give every numbered target the rule's number, once.
struct LayerDocuments {
    var package: String
    var readme: String
    var architecture: String

    /// The checkout's three files.
    static func load() throws -> LayerDocuments {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        func read(_ path: String) throws -> String { try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) }
        return LayerDocuments(package: try read("Package.swift"), readme: try read("README.md"), architecture: try read("docs/ARCHITECTURE.md"))
    }

    /// Every disagreement with the rule, as sentences naming the target and the file.
    func mismatches(with graph: PackageGraph) -> [String] {
        var problems: [String] = []
        let sections = Self.packageSections(package)
        let readmeLayers = Self.readmeLayers(readme)
        let tableLayers = Self.tableLayers(architecture)
        problems += readmeLayers.duplicates.map { "README.md lists \($0) on more than one line" }
        problems += tableLayers.duplicates.map { "docs/ARCHITECTURE.md lists \($0) in more than one layer" }
        for target in graph.targets.values.sorted(by: { $0.name < $1.name }) {
            guard let expected = BoundaryRule.layer(of: target)?.number else { continue }
            let section = sections[target.name] ?? nil
            if section != expected {
                problems.append("Package.swift declares \(target.name) under \(section.map { "// MARK: Layer \($0)" } ?? "no layer mark"), "
                    + "the rule says layer \(expected)")
            }
            let key = Self.readmeKey(of: target)
            if let listed = readmeLayers.layers[key], listed != expected {
                problems.append("README.md puts \(key)/ at layer \(listed), the rule says \(target.name) is layer \(expected)")
            } else if readmeLayers.layers[key] == nil {
                problems.append("README.md's source tree does not give \(key)/ (\(target.name)) a layer")
            }
            if let listed = tableLayers.layers[target.name], listed != expected {
                problems.append("docs/ARCHITECTURE.md puts \(target.name) at layer \(listed), the rule says \(expected)")
            } else if tableLayers.layers[target.name] == nil {
                problems.append("docs/ARCHITECTURE.md's layer table does not list \(target.name)")
            }
        }
        for name in tableLayers.layers.keys.sorted() where graph.targets[name] == nil {
            problems.append("docs/ARCHITECTURE.md's layer table lists \(name), which is not a target")
        }
        return problems
    }

    /// Target name → the number of the `// MARK: Layer N` above its declaration (`nil` under
    /// another mark, such as `// MARK: Tests`).
    static func packageSections(_ text: String) -> [String: Int?] {
        let pattern = #///\s*MARK:\s*(?<mark>[^\n]*)|\.(?:target|executableTarget|testTarget|systemLibrary)\(\s*name:\s*"(?<name>[^"]+)"/#
        var current: Int?
        var result: [String: Int?] = [:]
        for match in text.matches(of: pattern) {
            if let mark = match.output.mark {
                current = mark.firstMatch(of: #/^Layer (\d+)\b/#).flatMap { Int($0.output.1) }
            } else if let name = match.output.name {
                result[String(name)] = current
            }
        }
        return result
    }

    /// Folder (`PlatformHTTP`, `SharedServices`, `runtime-adapters`) → the `layer N` on its
    /// line of the README's source tree.
    static func readmeLayers(_ text: String) -> (layers: [String: Int], duplicates: [String]) {
        let line = #/^\s*(?<folders>[A-Za-z][\w-]*/(?:,\s*[A-Za-z][\w-]*/)*)\s.*?\blayer (?<number>\d+)\b/#
        var layers: [String: Int] = [:]
        var duplicates: [String] = []
        for row in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard let match = row.firstMatch(of: line), let number = Int(match.output.number) else { continue }
            for folder in match.output.folders.split(separator: ",") {
                let name = folder.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
                if layers.updateValue(number, forKey: name) != nil { duplicates.append(name) }
            }
        }
        return (layers, duplicates)
    }

    /// Target → the layer of the table row (`| N | … |`) that names it in backticks.
    static func tableLayers(_ text: String) -> (layers: [String: Int], duplicates: [String]) {
        var layers: [String: Int] = [:]
        var duplicates: [String] = []
        for row in text.split(separator: "\n") where row.hasPrefix("|") {
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let first = cells.first, let number = Int(first) else { continue }
            for match in row.matches(of: #/`(?<name>[A-Za-z][A-Za-z0-9]*)`/#) {
                if layers.updateValue(number, forKey: String(match.output.name)) != nil { duplicates.append(String(match.output.name)) }
            }
        }
        return (layers, duplicates)
    }

    /// The README lists shared services and adapters by their folder, every other target by name.
    static func readmeKey(of target: PackageGraph.Target) -> String {
        if target.path?.hasPrefix("Sources/SharedServices/") == true { return "SharedServices" }
        if target.path?.hasPrefix("runtime-adapters/") == true { return "runtime-adapters" }
        return target.name
    }
}
