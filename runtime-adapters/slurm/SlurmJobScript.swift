import Foundation
import PlatformContracts
import RuntimeKit

/// Renders `job.sbatch.tmpl` for one instance. Every substituted value is shell-quoted, so
/// parameters a user typed cannot break out of their word.
struct SlurmJobScript {
    let template: String

    func render(spec: LaunchSpec, folder: String, rootfs: String, image: RootfsUnpacker.ImageProcess, bwrap: String,
                partition: String?, cdi: CDISpec? = nil) throws(PlatformError) -> String {
        var directives: [String] = []
        if let partition { directives.append("--partition=\(partition)") }
        if spec.gpus.count > 0 {
            // MIG slices are gres types named by their profile (gres.conf `Type=1g.10gb`).
            let type = spec.gpuSharing == .mig ? spec.migProfile : spec.gpus.model
            directives.append("--gres=gpu:\(type.map { "\($0):" } ?? "")\(spec.gpus.count)")
        }
        if let minutes = spec.timeLimitMinutes { directives.append("--time=\(minutes)") }
        if let memory = spec.memoryMiB { directives.append("--mem=\(memory)M") }
        if let millicores = spec.cpuMillicores { directives.append("--cpus-per-task=\(max(1, (millicores + 999) / 1000))") }
        directives += Self.limitDirectives(spec)  // --tmp, --nodes (SlurmJobScript+Limits.swift)
        let environment = image.environment(overriddenBy: spec.environment)
        for name in environment.keys where !Self.isEnvironmentName(name) {
            throw PlatformError(.runtimeSpecInvalid, "environment name \"\(name)\" is not a shell variable name")
        }
        let command = image.argv(for: spec)  // command (or the image's entrypoint) + args
        let values: [String: String] = [
            "job_name": Self.quote("platform-\(spec.app)-\(spec.instanceId.lowercased())"),
            "log": Self.quote(folder + "/output.log"),
            "folder": Self.quote(folder),
            "directives": directives.map { "#SBATCH \($0)" }.joined(separator: "\n"),
            "bwrap": Self.quote(bwrap),
            "rootfs": Self.quote(rootfs),
            "environment": environment.sorted { $0.key < $1.key }
                .map { "--setenv \(Self.quote($0.key)) \(Self.quote($0.value))" }.joined(separator: " "),
            "gpu_binds": Self.gpuSetup(cdi: cdi, rootfs: URL(fileURLWithPath: rootfs), environment: environment),
            "workdir": Self.quote(image.workingDirectory),
            "command": command.map(Self.quote).joined(separator: " "),
            "node_tasks": Self.nodeTasks(spec: spec, folder: folder),
            "limits": Self.limitSetup(spec),
            // The instance folder sits in the adapter root, whose `volumes` holds persistent volumes.
            "secrets": try Self.secretSetup(spec, folder: folder),
            "volumes": Self.volumeArguments(spec, volumesRoot: URL(fileURLWithPath: folder).deletingLastPathComponent().appendingPathComponent("volumes")),
        ]
        // One pass over the template: substituted values are never scanned again, so a value
        // that contains `{{command}}` stays inert text inside its quotes.
        var script = ""
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            script += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw PlatformError(.runtimeSpecInvalid, "the sbatch template has an unclosed {{")
            }
            let name = String(rest[open.upperBound..<close.lowerBound])
            guard let value = values[name] else {
                throw PlatformError(.runtimeSpecInvalid, "the sbatch template names an unknown placeholder \(name)")
            }
            script += value
            rest = rest[close.upperBound...]
        }
        return script + rest
    }

    /// Single-quotes a word for bash.
    static func quote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && CharacterSet.letters.contains(first)) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && CharacterSet.alphanumerics.contains($0)) }
    }
}
