import Foundation
import PlatformContracts
import RuntimeKit
#if canImport(Glibc)
import Glibc
#endif

/// Secrets on the Slurm adapter. The job script is a file on the cluster's shared storage,
/// so it never holds a value: platformd stages each secret as a 0600 file in the job folder
/// (`secrets/`, 0700), and the job script, once it runs, opens every staged file on a file
/// descriptor, reads the `env: true` ones into shell variables, removes the staged folder and
/// hands everything to bubblewrap through descriptors: each file is copied onto a tmpfs at
/// `/run/secrets` (`--ro-bind-data FD`, mode 0400) and each variable arrives through
/// `--args FD` (NUL-separated `--setenv NAME VALUE`), so no value appears on a command line.
///
/// What differs from the local adapter: the values rest on the shared file system between
/// `sbatch` and the job's start (mode 0600, the job's user only), and the sandbox shares
/// the node's user (no user namespace), so the job user's other processes on the node could
/// read the sandbox's memory; the local adapter keeps values in a host tmpfs only.
extension SlurmJobScript {
    /// Where the values are staged, in the job folder.
    static func secretsStaging(folder: String) -> String { folder + "/secrets" }

    /// The shell lines that open the staged secrets and set `secret_args` for bwrap
    /// (an empty array when the spec has none).
    static func secretSetup(_ spec: LaunchSpec, folder: String) throws(PlatformError) -> String {
        let secrets = try spec.deliveredSecrets()
        guard !secrets.isEmpty else { return "secret_args=()" }
        let staging = quote(secretsStaging(folder: folder))
        // Room for the values, like the local adapter's tmpfs.
        let size = secrets.map { max(4096, $0.value.count + 4096) }.reduce(65_536, +)
        var lines = ["secrets_dir=\(staging)", "secret_args=(--perms 0700 --size \(size) --tmpfs \(quote(LaunchSpec.secretsMountPath)))"]
        var environment: [String] = []
        for (index, secret) in secrets.enumerated() {
            let fd = 10 + index
            let file = "\"$secrets_dir\"/\(quote(secret.delivery.name))"
            lines.append("exec \(fd)<\(file)")
            lines.append("secret_args+=(--perms 0400 --ro-bind-data \(fd) \(quote(LaunchSpec.secretsMountPath + "/" + secret.delivery.name)))")
            if secret.delivery.env {
                let variable = "secret_env_\(index)"
                lines.append("\(variable)=\"$(<\(file))\"")
                environment.append("--setenv \(quote(secret.delivery.name)) \"$\(variable)\"")
            }
        }
        if !environment.isEmpty {
            let fd = 10 + secrets.count
            // printf is a builtin: the values go through a pipe, never an argv.
            lines.append("exec \(fd)< <(printf '%s\\0' \(environment.joined(separator: " ")))")
            lines.append("secret_args+=(--args \(fd))")
        }
        lines.append("rm -rf \"$secrets_dir\"")
        return lines.joined(separator: "\n")
    }

    /// Writes the spec's secrets into the job folder's staging area (0700 folder, 0600 files).
    /// - Throws: ``ErrorCode/runtimeStartFailed``, the spec's ``LaunchSpec/deliveredSecrets()`` errors.
    static func stageSecrets(_ spec: LaunchSpec, folder: URL) throws(PlatformError) {
        let secrets = try spec.deliveredSecrets()
        guard !secrets.isEmpty else { return }
        // Variables are text: refuse a binary env secret before anything is written.
        _ = try spec.secretEnvironment()
        let staging = secretsStaging(folder: folder.path)
        removeStagedSecrets(folder: folder)
        guard mkdir(staging, 0o700) == 0 else { throw PlatformError(.runtimeStartFailed, "cannot create \(staging): errno \(errno)") }
        for secret in secrets {
            let path = staging + "/" + secret.delivery.name
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw PlatformError(.runtimeStartFailed, "cannot stage secret \(secret.delivery.name): errno \(errno)") }
            let written = secret.value.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
            guard written == secret.value.count else {
                throw PlatformError(.runtimeStartFailed, "cannot stage secret \(secret.delivery.name): errno \(errno)")
            }
        }
    }

    /// Removes what ``stageSecrets(_:folder:)`` left (a job cancelled before it ran).
    static func removeStagedSecrets(folder: URL) {
        FileTree.removeIfPresent(URL(fileURLWithPath: secretsStaging(folder: folder.path)))
    }
}
