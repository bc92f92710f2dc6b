import Foundation
import HTTPTypes
import PlatformAPI

/// Recomputes every contract artifact from its sources and compares it with what the
/// checkout commits: the OpenAPI and AsyncAPI documents (derived from the typed ``Endpoints``
/// table and the Codable types compiled into this binary), the Python SDK (regenerated from
/// the committed `openapi.json` with the pinned generator) and the Swift SDK (compiled from
/// the same table, so drift there is a compile error; the check records its tree digest and
/// that the committed document names exactly the compiled operations).
struct ContractCheck {
    /// The checkout.
    var repo: URL
    /// Leave the Python SDK out (machines without python3 or PyPI); reported as skipped.
    var skipPython = false
    /// The environment the generator script runs with.
    var environment: [String: String] = ProcessInfo.processInfo.environment
    /// The OpenAPI document the sources generate.
    var openAPI: @Sendable () -> Data = { OpenAPIDocument.json() }
    /// The AsyncAPI document the sources generate.
    var asyncAPI: @Sendable () -> Data = { AsyncAPIDocument.json() }
    /// The instant recorded as `checkedAt`.
    var now: @Sendable () -> Date = { Date() }

    static let openAPIPath = "manifests/api/openapi.json"
    static let asyncAPIPath = "manifests/api/asyncapi.json"
    static let pythonSDKPath = "sdk/python/platform-client"
    static let pythonScript = "scripts/sdk/python.sh"
    static let swiftSDKFolders = ["PlatformAPI", "PlatformClient"]

    /// Checks every artifact.
    func run() -> ContractReport {
        let git = Self.git(repo)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return ContractReport(
            sourceSha: git?.sha, dirty: git?.dirty, checkedAt: formatter.string(from: now()),
            artifacts: [
                document("openapi", Self.openAPIPath, openAPI(), regenerate: "UPDATE_GOLDEN=1 swift test --filter OpenAPITests"),
                document("asyncapi", Self.asyncAPIPath, asyncAPI(), regenerate: "UPDATE_GOLDEN=1 swift test --filter AsyncAPI"),
                skipPython ? skipped("sdk-python", Self.pythonSDKPath) : pythonSDK(),
                swiftSDK(),
            ])
    }

    /// A generated document against its committed file, byte for byte.
    func document(_ name: String, _ path: String, _ generated: Data, regenerate: String) -> ContractReport.Artifact {
        let committed = try? Data(contentsOf: repo.appendingPathComponent(path))
        let generatedDigest = ContractDigest.of(generated)
        guard let committed else {
            return .init(name: name, path: path, committedDigest: nil, generatedDigest: generatedDigest, status: .fail,
                         detail: "\(path) is missing; generate it (\(regenerate)) and commit it")
        }
        let committedDigest = ContractDigest.of(committed)
        let same = committed == generated
        return .init(name: name, path: path, committedDigest: committedDigest, generatedDigest: generatedDigest,
                     status: same ? .pass : .fail,
                     detail: same ? "byte-identical to the document the sources derive"
                         : "differs from the document the sources derive (\(committed.count) vs \(generated.count) bytes); regenerate: \(regenerate)")
    }

    func skipped(_ name: String, _ path: String) -> ContractReport.Artifact {
        .init(name: name, path: path, committedDigest: ContractDigest.tree(repo.appendingPathComponent(path)), generatedDigest: nil,
              status: .skipped, detail: "not regenerated (--skip-python): this is not a pass")
    }

    /// Regenerates the Python SDK into a temporary folder with the pinned generator
    /// (`scripts/sdk/python.sh generate-into DIR`) and compares the trees.
    func pythonSDK() -> ContractReport.Artifact {
        let name = "sdk-python", path = Self.pythonSDKPath
        let committedFolder = repo.appendingPathComponent(path)
        let committedDigest = ContractDigest.tree(committedFolder)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("contract-check-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let run = ChildCommand.run("/bin/bash", [repo.appendingPathComponent(Self.pythonScript).path, "generate-into", work.path],
                                   in: repo, environment: environment)
        let generatedFolder = work.appendingPathComponent("platform-client")
        guard run.status == 0, let generatedDigest = ContractDigest.tree(generatedFolder) else {
            let tail = run.output.split(separator: "\n").suffix(3).joined(separator: " / ")
            return .init(name: name, path: path, committedDigest: committedDigest, generatedDigest: nil, status: .fail,
                         detail: "\(Self.pythonScript) generate-into failed (exit \(run.status)): \(tail) (--skip-python where the generator cannot run)")
        }
        guard let committedDigest, committedDigest == generatedDigest else {
            let files = ContractDigest.differences(committedFolder, generatedFolder)
            return .init(name: name, path: path, committedDigest: committedDigest, generatedDigest: generatedDigest, status: .fail,
                         detail: "differs from what \(Self.openAPIPath) generates (\(files.joined(separator: ", "))); run: bash \(Self.pythonScript) generate")
        }
        return .init(name: name, path: path, committedDigest: committedDigest, generatedDigest: generatedDigest, status: .pass,
                     detail: "regenerated from \(Self.openAPIPath) by the pinned generator: identical tree")
    }

    /// The Swift SDK is the PlatformAPI + PlatformClient sources, compiled from the same
    /// ``Endpoints`` table the server binds: a changed type without the matching client or
    /// server change does not compile, so there is nothing to diff. What can still drift is
    /// the committed document the Python SDK is generated from: it must name exactly the
    /// compiled operations (operationId, method, path).
    func swiftSDK() -> ContractReport.Artifact {
        let sources = repo.appendingPathComponent("Sources")
        let digest = ContractDigest.tree(sources) { relative in Self.swiftSDKFolders.contains { relative.hasPrefix("\($0)/") } }
        let path = Self.swiftSDKFolders.map { "Sources/\($0)" }.joined(separator: " + ")
        let compiled = Set(Endpoints.all.map { "\($0.operation.rawValue) \($0.method.rawValue) \($0.path)" })
        let committed = Self.documentedOperations(try? Data(contentsOf: repo.appendingPathComponent(Self.openAPIPath)))
        let missing = compiled.subtracting(committed).sorted(), extra = committed.subtracting(compiled).sorted()
        let agree = missing.isEmpty && extra.isEmpty
        return .init(name: "sdk-swift", path: path, committedDigest: digest, generatedDigest: digest, status: agree ? .pass : .fail,
                     detail: agree
                         ? "compiled from the Endpoints table (\(compiled.count) operations; drift is a compile error, not a diff); \(Self.openAPIPath) names the same operations"
                         : "\(Self.openAPIPath) and the compiled Endpoints table disagree: only compiled: \(Self.list(missing)); only documented: \(Self.list(extra))")
    }

    /// The first three entries and how many more.
    static func list(_ entries: [String]) -> String {
        entries.isEmpty ? "none" : entries.prefix(3).joined(separator: ", ") + (entries.count > 3 ? " and \(entries.count - 3) more" : "")
    }

    /// `operationId METHOD /v1/path` of every `/v1` operation a document lists.
    static func documentedOperations(_ data: Data?) -> Set<String> {
        guard let data, let document = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let paths = document["paths"] as? [String: Any] else { return [] }
        var found: Set<String> = []
        for (path, value) in paths where path.hasPrefix("/v1/") {
            for (method, operation) in (value as? [String: Any]) ?? [:] {
                guard let id = (operation as? [String: Any])?["operationId"] as? String else { continue }
                found.insert("\(id) \(method.uppercased()) \(path)")
            }
        }
        return found
    }

    /// HEAD and whether the tree differs from it; `nil` outside a git checkout.
    static func git(_ repo: URL) -> (sha: String, dirty: Bool)? {
        let head = ChildCommand.run("/usr/bin/env", ["git", "-C", repo.path, "rev-parse", "HEAD"], in: repo)
        let sha = head.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard head.status == 0, sha.count == 40 else { return nil }
        let status = ChildCommand.run("/usr/bin/env", ["git", "-C", repo.path, "status", "--porcelain"], in: repo)
        return (sha, status.status != 0 || !status.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    /// The checkout: `start` and its parents, the first with a `Package.swift`.
    static func findRepo(from start: URL) -> URL? {
        var folder = start.standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) { return folder }
            let parent = folder.deletingLastPathComponent()
            guard parent.path != folder.path else { return nil }
            folder = parent
        }
    }
}

/// A child process run to completion, its stdout and stderr together (through a file, so a
/// chatty child cannot fill a pipe and stall).
enum ChildCommand {
    static func run(_ executable: String, _ arguments: [String], in directory: URL,
                    environment: [String: String]? = nil) -> (status: Int32, output: String) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("contract-check-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: log.path, contents: nil), let handle = try? FileHandle(forWritingTo: log) else {
            return (-1, "cannot create \(log.path)")
        }
        defer { try? handle.close(); try? FileManager.default.removeItem(at: log) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if let environment { process.environment = environment }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return (-1, "cannot run \(executable): \(error)") }
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }
}
