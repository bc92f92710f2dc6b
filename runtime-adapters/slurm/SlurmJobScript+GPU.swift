import Foundation
import PlatformContracts
import RuntimeKit

extension SlurmJobScript {
    /// The job script's GPU set-up (`{{gpu_binds}}`): the host's CDI edits rendered into
    /// bwrap arguments, chosen on the node once Slurm has said which GPUs the job got.
    ///
    /// Slurm's gres allocation sets `CUDA_VISIBLE_DEVICES` (indices, or MIG UUIDs); for each
    /// entry the script adds that device's CDI nodes (`--dev-bind`), and, when there is any,
    /// the spec's common edits: control nodes, driver libraries and tools (`--ro-bind`, at the
    /// spec's path when the image has it, else below `/run/nvidia` with `LD_LIBRARY_PATH`/`PATH`
    /// set through `gpu_env`). Every source is tested on the node first (`[ -e ]`): nodes whose
    /// driver files differ from the server's skip what they lack. A device the spec does not
    /// name (no spec, or a node with more GPUs than the server) gets `/dev/nvidia<index>`.
    static func gpuSetup(cdi: CDISpec?, rootfs: URL, environment: [String: String]) -> String {
        let spec = cdi ?? CDISpec(devices: [], containerEdits: CDIContainerEdits())
        var lines = [
            "# The instance's GPUs through the host's CDI spec (\(spec.kind), \(spec.cdiVersion)).",
            "visible=${CUDA_VISIBLE_DEVICES:-}",
            "gpu_binds=()",
            "gpu_env=()",
            #"gpu_bind() { [ -e "$2" ] && gpu_binds+=("$1" "$2" "$3"); return 0; }"#,
            "gpu_device() {",
            "  case \"$1\" in",
        ]
        for device in spec.devices {
            let placed = device.containerEdits.placed(inImage: rootfs).edits
            let binds = Self.binds(placed)
            lines.append("    \(quote(device.name))) \(binds.isEmpty ? ":" : binds.joined(separator: "; ")) ;;")
        }
        lines.append(#"    *) gpu_bind --dev-bind "/dev/nvidia$1" "/dev/nvidia$1" ;;"#)
        lines.append("  esac")
        lines.append("}")
        lines.append(#"if [ -n "$visible" ]; then"#)
        let common = spec.containerEdits.placed(inImage: rootfs)
        for bind in Self.binds(common.edits) { lines.append("  \(bind)") }
        let merged = common.environment(environment)
        for name in ["LD_LIBRARY_PATH", "PATH"] where merged[name] != environment[name] {
            lines.append("  gpu_env+=(--setenv \(quote(name)) \(quote(merged[name] ?? "")))")
        }
        for entry in common.edits.env ?? [] {
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            if parts.count == 2, isEnvironmentName(parts[0]) { lines.append("  gpu_env+=(--setenv \(quote(parts[0])) \(quote(parts[1])))") }
        }
        lines.append(#"  for device in ${visible//,/ }; do gpu_device "$device"; done"#)
        lines.append("fi")
        return lines.joined(separator: "\n")
    }

    /// `gpu_bind` calls for edits' device nodes and mounts.
    static func binds(_ edits: CDIContainerEdits) -> [String] {
        (edits.deviceNodes ?? []).map { "gpu_bind --dev-bind \(quote($0.source)) \(quote($0.path))" }
            + (edits.mounts ?? []).map { "gpu_bind \($0.readOnly ? "--ro-bind" : "--bind") \(quote($0.hostPath)) \(quote($0.containerPath))" }
    }
}
