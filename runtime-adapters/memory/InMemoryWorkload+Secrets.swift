import PlatformContracts
import RuntimeKit

extension InMemoryWorkload {
    /// The files a spec's secrets become (`/run/secrets/<name>` → value). Specs whose secrets
    /// were not resolved never get here: `start` refuses them first (``LaunchSpec/secretEnvironment()``).
    static func secretFiles(of spec: LaunchSpec) -> [String: [UInt8]] {
        Dictionary(((try? spec.deliveredSecrets()) ?? []).map { (LaunchSpec.secretsMountPath + "/" + $0.delivery.name, $0.value) }) { $1 }
    }

    /// What the twin's output templates may ask about its secrets, as a shell workload on a
    /// real adapter would print them: `${file:/run/secrets/NAME}` (the content),
    /// `${mode:/run/secrets/NAME}` (`-r--------`, as `ls -l` shows a 0400 file, when it exists) and `${fs:/run/secrets}`
    /// (`tmpfs` when the instance has secrets); `nil` for any other name.
    func secretExpansion(_ name: String) -> String? {
        if name.hasPrefix("file:") { return secretFiles[String(name.dropFirst(5))].map { String(decoding: $0, as: UTF8.self) } ?? "" }
        if name.hasPrefix("mode:") { return secretFiles[String(name.dropFirst(5))] == nil ? "" : "-r--------" }
        if name == "fs:" + LaunchSpec.secretsMountPath { return secretFiles.isEmpty ? "" : "tmpfs" }
        return nil
    }
}

extension InMemoryRuntime {
    /// The secret files the runtime's workload `instanceId` was given (`/run/secrets/<name>` →
    /// value): what the twin records of a delivery.
    public func secretFiles(of instanceId: String) -> [String: [UInt8]] {
        workload(instanceId)?.secretFiles ?? [:]
    }
}
