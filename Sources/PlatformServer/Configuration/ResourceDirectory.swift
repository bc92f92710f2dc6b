import Foundation
import PlatformContracts
import RegistryService

/// The folder platformd reads its shipped data files from (`--resources`, `PLATFORMD_RESOURCES`,
/// config key `resources`): the registries in `manifests/platform/`, the manifest schema in
/// `manifests/schema/`, the portal in `portal/` and the slurm job template in
/// `runtime-adapters/slurm/job.sbatch.tmpl`, the same layout as the repository.
///
/// The default is the working directory, so `swift run platformd serve`, `scripts/demo.sh`
/// and the tests (which all run from the checkout root) need no setting; an installation
/// copies those four paths to one folder (say `/usr/share/platformd`) and names it. Nothing is
/// searched for: a missing file is a configuration error that names the folder and the setting.
struct ResourceDirectory: Sendable {
    /// The folder, absolute.
    let root: URL

    /// Resolves `path` against the working directory.
    init(path: String) {
        self.root = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
    }

    /// `--registry-dir` when given, else `manifests/platform` under the resources.
    /// - Throws: ``ErrorCode/configInvalid`` when the folder has no `scopes.yaml`.
    func registries(override: String?) throws(PlatformError) -> RegistryFiles {
        if let override { return try RegistryFiles.at(URL(fileURLWithPath: override), setting: "--registry-dir (PLATFORMD_REGISTRY_DIR)") }
        let folder = root.appendingPathComponent("manifests/platform")
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("scopes.yaml").path) else {
            throw PlatformError(.configInvalid, "no manifests/platform/scopes.yaml under the resources folder \(root.path); "
                + "run from the checkout or pass --resources DIR (PLATFORMD_RESOURCES)")
        }
        return RegistryFiles(directory: folder)
    }

    /// The portal's pages (`portal/`); served from `/portal/`, which answers 404 without them.
    var portal: URL { root.appendingPathComponent("portal") }
    /// The web console's templates and assets (`console/`); read at start, required.
    var console: URL { root.appendingPathComponent("console") }

    /// The slurm adapter's job template.
    /// - Throws: ``ErrorCode/configInvalid`` when it is missing (only asked for with `--slurm-conf`).
    func slurmTemplate() throws(PlatformError) -> URL {
        let relative = "runtime-adapters/slurm/job.sbatch.tmpl"
        let file = root.appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw PlatformError(.configInvalid, "--slurm-conf is set but \(relative) is not under the resources folder \(root.path) "
                + "(--resources, PLATFORMD_RESOURCES)")
        }
        return file
    }
}
