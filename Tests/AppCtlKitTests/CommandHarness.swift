import AppCtlKit
import Foundation
import PlatformTestKit

/// Runs `appctl` in process with a private config file and captured output.
struct CommandHarness: Sendable {
    let configPath: String
    var environment: [String: String] = [:]

    init(directory: TemporaryDirectory) {
        self.configPath = directory.appending("appctl/config.yaml").path
    }

    struct Result: Sendable {
        let exitCode: Int32
        let output: String
        let errorOutput: String
    }

    func run(_ arguments: String...) async -> Result {
        await run(arguments)
    }

    func run(_ arguments: [String]) async -> Result {
        let output = Captured()
        let errors = Captured()
        let context = CommandContext(
            environment: environment.merging(["APPCTL_CONFIG": configPath, "HOME": "/nonexistent"]) { $1 },
            output: { output.append($0) },
            errorOutput: { errors.append($0) })
        let code = await AppCtl.run(arguments: arguments, context: context)
        return Result(exitCode: code, output: output.text, errorOutput: errors.text)
    }
}

