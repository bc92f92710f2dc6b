import Foundation
import PlatformContracts
import Yams

/// A tutorial or how-to page, written as data (`manifests/portal/onboarding/*.yaml`,
/// `manifests/portal/how-to/*.yaml`): prose, commands to run, the output to expect, a gate
/// check and troubleshooting by error code. The commands are executed, in page order, by
/// the docs-as-tests suite, so a page whose commands stop working fails CI.
struct Guide: Equatable {
    /// One step: prose, commands, and the lines the commands print (`…` = any text).
    struct Step: Equatable {
        var title: String
        var text: String
        var run: String
        var output: String?
    }

    /// What to do about one error code.
    struct Fix: Equatable {
        var code: String
        var fix: String
    }

    /// `onboarding` or `how-to`.
    var track: String
    /// The page id (file name without its order prefix).
    var id: String
    /// Order within the track (the file name's `N-` prefix; else by name).
    var position: Int
    var title: String
    var gate: String?
    var summary: String
    var prerequisites: [String]
    var steps: [Step]
    var check: Step?
    var troubleshooting: [Fix]
    /// The source file, as pages cite it.
    var file: String

    /// Reads one page; nil with a reason when it is not one.
    static func parse(_ input: NamedText, track: String, position: Int) -> Result<Guide, GuideError> {
        let loaded: Any?
        do {
            loaded = try PortalYAML.load(input.text)
        } catch let refusal as DocumentTooComplex {
            return .failure(.init("\(refusal.code): \(refusal)"))
        } catch {
            loaded = nil
        }
        guard let root = loaded as? [String: Any] else { return .failure(.init("not YAML")) }
        let known: Set<String> = ["id", "title", "gate", "summary", "prerequisites", "steps", "check", "troubleshooting"]
        if let unknown = Set(root.keys).subtracting(known).sorted().first { return .failure(.init("unknown key `\(unknown)`")) }
        guard let id = root["id"] as? String, id.range(of: "^[a-z0-9-]+$", options: .regularExpression) != nil else {
            return .failure(.init("`id` must be lowercase letters, digits and dashes"))
        }
        guard let title = root["title"] as? String, let summary = root["summary"] as? String else {
            return .failure(.init("`title` and `summary` are required"))
        }
        func step(_ value: Any?, _ name: String) -> Result<Step, GuideError> {
            guard let entry = value as? [String: Any], let run = entry["run"] as? String else {
                return .failure(.init("\(name) needs `run`"))
            }
            if let unknown = Set(entry.keys).subtracting(["title", "text", "run", "output"]).sorted().first {
                return .failure(.init("\(name): unknown key `\(unknown)`"))
            }
            return .success(Step(title: entry["title"] as? String ?? "", text: entry["text"] as? String ?? "", run: run,
                                 output: entry["output"] as? String))
        }
        var steps: [Step] = []
        for (index, value) in ((root["steps"] as? [Any]) ?? []).enumerated() {
            switch step(value, "step \(index + 1)") {
            case .success(let parsed): steps.append(parsed)
            case .failure(let error): return .failure(error)
            }
        }
        guard !steps.isEmpty else { return .failure(.init("no `steps`")) }
        var check: Step?
        if let value = root["check"] {
            switch step(value, "check") {
            case .success(let parsed): check = parsed
            case .failure(let error): return .failure(error)
            }
        }
        var fixes: [Fix] = []
        for (index, value) in ((root["troubleshooting"] as? [Any]) ?? []).enumerated() {
            guard let entry = value as? [String: Any], let code = entry["code"] as? String, let fix = entry["fix"] as? String else {
                return .failure(.init("troubleshooting \(index + 1) needs `code` and `fix`"))
            }
            fixes.append(Fix(code: code, fix: fix))
        }
        let prerequisites = (root["prerequisites"] as? [Any]) ?? []
        guard prerequisites.allSatisfy({ $0 is String }) else { return .failure(.init("`prerequisites` must be a list of strings")) }
        return .success(Guide(
            track: track, id: id, position: position, title: title, gate: root["gate"] as? String, summary: summary,
            prerequisites: prerequisites.compactMap { $0 as? String }, steps: steps, check: check, troubleshooting: fixes,
            file: input.file))
    }
}

/// Why a guide file is not a page.
struct GuideError: Error, Equatable {
    var message: String
    init(_ message: String) { self.message = message }
}
