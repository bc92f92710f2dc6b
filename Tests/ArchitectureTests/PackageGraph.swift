import Foundation

/// The first-party target graph, read from `swift package dump-package`.
struct PackageGraph: Sendable {
    struct Target: Sendable {
        var name: String
        var type: String
        var path: String?
        /// First-party targets this one depends on.
        var dependencies: [String]
        /// External products this one depends on (`package/product`).
        var products: [String]
    }

    var targets: [String: Target]

    /// Runs `swift package dump-package` on this package. A scratch path of its own keeps it
    /// off the `.build` lock that the running `swift test` holds.
    static func load() throws -> PackageGraph {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("dump-package-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift", "package", "--package-path", root.path, "--scratch-path", scratch.path, "dump-package"]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw DumpFailure(message: String(decoding: errorData, as: UTF8.self))
        }
        return try parse(data)
    }

    struct DumpFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { "swift package dump-package failed: \(message)" }
    }

    static func parse(_ data: Data) throws -> PackageGraph {
        let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        var targets: [String: Target] = [:]
        for case let target as [String: Any] in root["targets"] as? [Any] ?? [] {
            guard let name = target["name"] as? String else { continue }
            var dependencies: [String] = []
            var products: [String] = []
            for case let dependency as [String: Any] in target["dependencies"] as? [Any] ?? [] {
                if let byName = dependency["byName"] as? [Any], let first = byName.first as? String {
                    dependencies.append(first)
                } else if let target = dependency["target"] as? [Any], let first = target.first as? String {
                    dependencies.append(first)
                } else if let product = dependency["product"] as? [Any], let productName = product.first as? String {
                    products.append("\(product.dropFirst().first as? String ?? "?")/\(productName)")
                }
            }
            targets[name] = Target(
                name: name, type: target["type"] as? String ?? "", path: target["path"] as? String,
                dependencies: dependencies, products: products)
        }
        return PackageGraph(targets: targets)
    }

    /// A copy with one more first-party edge, to prove the rule catches it.
    func adding(_ from: String, dependsOn to: String) -> PackageGraph {
        var copy = self
        copy.targets[from]?.dependencies.append(to)
        return copy
    }
}
