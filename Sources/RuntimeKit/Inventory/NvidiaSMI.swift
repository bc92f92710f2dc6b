import Foundation
import PlatformContracts

/// GPU discovery with `nvidia-smi --query-gpu=index,uuid,name,memory.total,mig.mode.current --format=csv,noheader,nounits`,
/// and, when a GPU is in MIG mode, its slices from `nvidia-smi -L`.
///
/// No driver means no GPUs, not an error: the binary missing, exit 9 (driver not loaded) and
/// exit 12 (NVML missing) all yield an empty list. Any other failure is
/// ``ErrorCode/runtimeGPUDiscoveryFailed`` with nvidia-smi's own words.
///
/// A GPU in MIG mode stays in the list (flagged ``GPUDevice/migEnabled``, never placed whole)
/// followed by one device per slice: its parent's index, name and model, the slice's `MIG-…`
/// UUID and profile, and the memory the profile names (`1g.10gb` → 10240 MiB).
public enum NvidiaSMI {
    /// The query arguments.
    public static let arguments = ["--query-gpu=index,uuid,name,memory.total,mig.mode.current", "--format=csv,noheader,nounits"]
    /// The listing that names MIG slices.
    public static let listArguments = ["-L"]

    /// Parses nvidia-smi's CSV (four fields, or five with the MIG mode), naming models through
    /// the gpu-model registry.
    /// - Throws: ``ErrorCode/runtimeGPUDiscoveryFailed`` for a line that is not four or five fields.
    public static func parse(_ text: String, models: GPUModelRegistry) throws(PlatformError) -> [GPUDevice] {
        var devices: [GPUDevice] = []
        for (number, line) in text.split(whereSeparator: \.isNewline).enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard (4...5).contains(fields.count), let index = Int(fields[0]), let memory = Int64(fields[3]),
                  fields[1].hasPrefix("GPU-") || fields[1].hasPrefix("MIG-")
            else {
                throw PlatformError(.runtimeGPUDiscoveryFailed, "nvidia-smi line \(number + 1) is not index, uuid, name, memory[, mig mode]: \"\(line.prefix(120))\"")
            }
            let model = models.models.first { $0.name == fields[2] }?.modelId
            let migEnabled = fields.count == 5 && fields[4].caseInsensitiveCompare("Enabled") == .orderedSame
            devices.append(GPUDevice(index: index, uuid: fields[1], name: fields[2], modelId: model, memoryMiB: memory, migEnabled: migEnabled))
        }
        return devices
    }

    /// Adds the MIG slices `nvidia-smi -L` lists to `gpus`, after each parent:
    ///
    /// ```
    /// GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-…)
    ///   MIG 1g.10gb     Device  0: (UUID: MIG-…)
    /// ```
    ///
    /// Lines of another shape are skipped (driver versions word the listing differently
    /// around these two forms). A GPU with slices is marked MIG-enabled.
    public static func addingMIGSlices(_ listing: String, to gpus: [GPUDevice]) -> [GPUDevice] {
        var slices: [String: [GPUDevice]] = [:]
        var parent: GPUDevice?
        for raw in listing.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard let uuid = uuid(in: line) else { continue }
            if line.hasPrefix("GPU ") {
                parent = gpus.first { $0.uuid == uuid }
            } else if line.hasPrefix("MIG "), let gpu = parent {
                let profile = line.dropFirst(4).split(separator: " ").first.map(String.init) ?? ""
                slices[gpu.uuid, default: []].append(GPUDevice(
                    index: gpu.index, uuid: uuid, name: gpu.name, modelId: gpu.modelId,
                    memoryMiB: memoryMiB(ofProfile: profile) ?? 0, migProfile: profile, parentUUID: gpu.uuid))
            }
        }
        return gpus.flatMap { gpu -> [GPUDevice] in
            guard let own = slices[gpu.uuid], !own.isEmpty else { return [gpu] }
            var whole = gpu
            whole.migEnabled = true
            return [whole] + own
        }
    }

    /// `1g.10gb` → 10240; `nil` for a name without a `…gb` memory part.
    public static func memoryMiB(ofProfile profile: String) -> Int64? {
        guard let part = profile.split(separator: ".").last, part.lowercased().hasSuffix("gb"),
              let gigabytes = Int64(part.dropLast(2)) else { return nil }
        return gigabytes * 1024
    }

    private static func uuid(in line: String) -> String? {
        guard let open = line.range(of: "(UUID: ") else { return nil }
        let rest = line[open.upperBound...]
        guard let close = rest.firstIndex(of: ")") else { return nil }
        return String(rest[..<close]).trimmingCharacters(in: .whitespaces)
    }

    /// Runs `binary` (default: `nvidia-smi` on `PATH`) and parses its answer; lists MIG slices
    /// when a GPU reports MIG mode (a failed listing leaves those GPUs without slices: never
    /// placed whole, never sliced).
    public static func discover(binary: String? = nil, models: GPUModelRegistry) throws -> [GPUDevice] {
        guard let executable = binary ?? HostCommand.locate("nvidia-smi") else { return [] }
        guard FileManager.default.isExecutableFile(atPath: executable) else { return [] }
        guard let query = run(executable, arguments) else { return [] }
        switch query.status {
        case 0:
            let gpus = try parse(query.output, models: models)
            guard gpus.contains(where: \.migEnabled), let listing = run(executable, listArguments), listing.status == 0 else { return gpus }
            return addingMIGSlices(listing.output, to: gpus)
        case 9, 12: return []
        case let status:
            throw PlatformError(.runtimeGPUDiscoveryFailed,
                                "nvidia-smi exited \(status): \((query.problem.isEmpty ? query.output : query.problem).trimmingCharacters(in: .whitespacesAndNewlines).prefix(300))")
        }
    }

    /// One run of a host tool to its end: status, stdout, stderr; `nil` when it cannot start
    /// (nvidia-smi here, `ldconfig -p` for ``NvidiaCDIGenerator/hostLinkerCache()``).
    static func run(_ executable: String, _ arguments: [String]) -> (status: Int32, output: String, problem: String)? {
        // Output goes to a temporary file, not a pipe: a pipe's EOF depends on every other
        // process that might have inherited its write end, a file's end does not.
        let stem = FileManager.default.temporaryDirectory.appendingPathComponent("host-tool-\(UUID().uuidString)")
        let capture = stem.appendingPathExtension("out"), errors = stem.appendingPathExtension("err")
        guard FileManager.default.createFile(atPath: capture.path, contents: nil),
              FileManager.default.createFile(atPath: errors.path, contents: nil),
              let sink = FileHandle(forWritingAtPath: capture.path), let errorSink = FileHandle(forWritingAtPath: errors.path)
        else { return nil }
        defer {
            try? FileManager.default.removeItem(at: capture)
            try? FileManager.default.removeItem(at: errors)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = sink
        process.standardError = errorSink
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            try? sink.close()
            try? errorSink.close()
            return nil
        }
        process.waitUntilExit()
        try? sink.close()
        try? errorSink.close()
        return (process.terminationStatus, (try? String(contentsOf: capture, encoding: .utf8)) ?? "",
                (try? String(contentsOf: errors, encoding: .utf8)) ?? "")
    }
}
