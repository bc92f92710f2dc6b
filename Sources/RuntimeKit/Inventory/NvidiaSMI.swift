import Foundation
import PlatformContracts

/// GPU discovery with `nvidia-smi --query-gpu=index,uuid,name,memory.total --format=csv,noheader,nounits`.
///
/// No driver means no GPUs, not an error: the binary missing, exit 9 (driver not loaded) and
/// exit 12 (NVML missing) all yield an empty list. Any other failure is
/// ``ErrorCode/runtimeGPUDiscoveryFailed`` with nvidia-smi's own words.
public enum NvidiaSMI {
    /// The query arguments.
    public static let arguments = ["--query-gpu=index,uuid,name,memory.total", "--format=csv,noheader,nounits"]

    /// Parses nvidia-smi's CSV, naming models through the gpu-model registry.
    /// - Throws: ``ErrorCode/runtimeGPUDiscoveryFailed`` for a line that is not four fields.
    public static func parse(_ text: String, models: GPUModelRegistry) throws(PlatformError) -> [GPUDevice] {
        var devices: [GPUDevice] = []
        for (number, line) in text.split(whereSeparator: \.isNewline).enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 4, let index = Int(fields[0]), let memory = Int64(fields[3]), fields[1].hasPrefix("GPU-") || fields[1].hasPrefix("MIG-")
            else {
                throw PlatformError(.runtimeGPUDiscoveryFailed, "nvidia-smi line \(number + 1) is not index, uuid, name, memory: \"\(line.prefix(120))\"")
            }
            let model = models.models.first { $0.name == fields[2] }?.modelId
            devices.append(GPUDevice(index: index, uuid: fields[1], name: fields[2], modelId: model, memoryMiB: memory))
        }
        return devices
    }

    /// Runs `binary` (default: `nvidia-smi` on `PATH`) and parses its answer.
    public static func discover(binary: String? = nil, models: GPUModelRegistry) throws -> [GPUDevice] {
        guard let executable = binary ?? HostCommand.locate("nvidia-smi") else { return [] }
        guard FileManager.default.isExecutableFile(atPath: executable) else { return [] }
        // Output goes to a temporary file, not a pipe: a pipe's EOF depends on every other
        // process that might have inherited its write end, a file's end does not.
        let stem = FileManager.default.temporaryDirectory.appendingPathComponent("nvidia-smi-\(UUID().uuidString)")
        let capture = stem.appendingPathExtension("out"), errors = stem.appendingPathExtension("err")
        guard FileManager.default.createFile(atPath: capture.path, contents: nil),
              FileManager.default.createFile(atPath: errors.path, contents: nil),
              let sink = FileHandle(forWritingAtPath: capture.path), let errorSink = FileHandle(forWritingAtPath: errors.path)
        else { return [] }
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
            return []
        }
        process.waitUntilExit()
        try? sink.close()
        try? errorSink.close()
        let text = (try? String(contentsOf: capture, encoding: .utf8)) ?? ""
        let problem = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        switch process.terminationStatus {
        case 0: return try parse(text, models: models)
        case 9, 12: return []
        case let status:
            throw PlatformError(.runtimeGPUDiscoveryFailed,
                                "nvidia-smi exited \(status): \((problem.isEmpty ? text : problem).trimmingCharacters(in: .whitespacesAndNewlines).prefix(300))")
        }
    }
}
