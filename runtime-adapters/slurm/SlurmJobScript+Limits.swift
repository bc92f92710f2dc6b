import Foundation
import PlatformContracts
import RuntimeKit

/// Resource limits and multi-node jobs in the sbatch script.
///
/// - Memory and CPU: `--mem` and `--cpus-per-task` (in ``SlurmJobScript/render``). Slurm
///   enforces them only where the cluster runs `TaskPlugin=task/cgroup` with
///   `ConstrainRAMSpace`/`ConstrainCores` (the test cluster does on cgroup v1 hosts); the
///   sandbox sees the job's own cgroup folders read-only (`--tmpfs /sys` plus a bind of each
///   at its host path), so the app can read its limits as it would in a container, and nothing
///   of other jobs'. An over-limit job ends OUT_OF_MEMORY, which the adapter reports as oom.
/// - Disk (`resources.diskMiB`): `--tmp=<MiB>M` places the job on a node with that much local
///   scratch (`TmpDisk`), and the sandbox's writable `/tmp` is a tmpfs of that size (`/run`
///   gets at most 16 MiB of it), so writing past it fails with `ENOSPC` as on `local`.
/// - Nodes (`resources.nodes` > 1): `--nodes=N`, and the batch shell starts one task per node
///   with `srun` (``nodeTasks(spec:folder:)``), each running this same script as a node task
///   that builds its own sandbox; the sandbox gets `SLURM_NODEID`, `SLURM_NNODES` and
///   `SLURM_JOB_NODELIST`. A stop's TERM to the batch shell goes to `srun` as USR1 (srun kills
///   the step on TERM), which Slurm delivers to every process of the step; bwrap and the app
///   inherit it ignored, and each node task forwards a TERM to its app.
extension SlurmJobScript {
    /// The largest `/run` a sandbox with a disk limit gets, in MiB.
    static let runMiB = 16

    /// The `#SBATCH` options for disk and node count (memory and CPU are rendered beside the GPUs).
    static func limitDirectives(_ spec: LaunchSpec) -> [String] {
        var directives: [String] = []
        if let disk = spec.diskMiB, disk > 0 { directives.append("--tmp=\(disk)M") }
        if spec.nodes > 1 { directives.append("--nodes=\(spec.nodes)") }
        return directives
    }

    /// For a multi-node spec, the block that makes the batch shell start one node task per
    /// node and record their combined exit status; empty for one node.
    static func nodeTasks(spec: LaunchSpec, folder: String) -> String {
        guard spec.nodes > 1 else { return "" }
        let script = quote(folder + "/job.sbatch")
        let exit = quote(folder + "/exit")
        let staging = quote(folder + "/exit.tmp")
        return """
            # resources.nodes = \(spec.nodes): one task per node, each running this script as a node task
            # (PLATFORM_NODE_TASK) that builds its own sandbox. A stop's TERM goes to srun as USR1, which
            # srun passes on to every process of the step (a TERM would make srun kill the step): each
            # node task turns it into a TERM to its app; bwrap and the app ignore USR1.
            if [ -z "${PLATFORM_NODE_TASK:-}" ]; then
              srun --nodes=\(spec.nodes) --ntasks=\(spec.nodes) --ntasks-per-node=1 --kill-on-bad-exit=1 \\
                --export=ALL,PLATFORM_NODE_TASK=1 /bin/bash \(script) &
              child=$!
              trap 'kill -USR1 "$child" 2>/dev/null' TERM INT
              wait "$child"
              status=$?
              while kill -0 "$child" 2>/dev/null; do wait "$child"; status=$?; done
              echo "$status" > \(staging) && mv \(staging) \(exit)
              exit "$status"
            fi
            """
    }

    /// Shell lines that set `scratch_args` (the writable tmpfs `/tmp` and `/run`, sized by
    /// `diskMiB`) and `limit_args` (the node's place in the job, the job's cgroups read-only).
    static func limitSetup(_ spec: LaunchSpec) -> String {
        var scratch = "scratch_args=(--tmpfs /tmp --tmpfs /run)"
        if let disk = spec.diskMiB, disk > 0 {
            let tmp = Int64(disk) * 1_048_576, run = Int64(min(disk, runMiB)) * 1_048_576
            scratch = "scratch_args=(--size \(tmp) --tmpfs /tmp --size \(run) --tmpfs /run)"
        }
        return """
            \(scratch)
            [ -n "${PLATFORM_NODE_TASK:-}" ] && trap '' USR1  # the stop signal of node tasks (nodeTasks)
            limit_args=(--setenv SLURM_NODEID "${SLURM_NODEID:-0}" --setenv SLURM_NNODES "${SLURM_NNODES:-1}"
              --setenv SLURM_JOB_NODELIST "${SLURM_JOB_NODELIST:-}")
            cgroup_binds=()
            while IFS=: read -r _ controllers path; do
              case "$controllers" in
                memory|cpu|cpuset|cpu,cpuacct) dir=/sys/fs/cgroup/$controllers$path ;;
                "") [ -e /sys/fs/cgroup/cgroup.controllers ] || continue; dir=/sys/fs/cgroup$path ;;
                *) continue ;;
              esac
              [ "$path" != / ] && [ -d "$dir" ] && cgroup_binds+=(--ro-bind "$dir" "$dir")
            done < /proc/self/cgroup
            [ ${#cgroup_binds[@]} -gt 0 ] && limit_args+=(--tmpfs /sys "${cgroup_binds[@]}")
            """
    }
}
