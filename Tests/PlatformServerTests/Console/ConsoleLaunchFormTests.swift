import PlatformContracts
@testable import PlatformHTTP
import Testing

/// The launch form's round trip without a server: manifest → controls, posted fields →
/// ``LaunchRequest``, where the browser's form rules (unchecked boxes send nothing, a field
/// left at its default) must not change what the launch asks for.
@Suite("Console launch form")
struct ConsoleLaunchFormTests {
    static let manifest = """
        apiVersion: apps.platform/v1
        kind: App
        metadata: {name: trainer, version: 2.0.0, description: Trains.}
        mode: job
        resources:
          gpu: {models: [h100, a100], count: 2}
        params:
          - {name: steps, type: integer, default: 100, description: Optimizer steps.}
          - {name: resume, type: boolean, default: true}
          - {name: size, type: string, enum: [small, large]}
          - {name: run, type: string, required: true}
        runtime: {adapters: [slurm]}
        """

    func form(_ fields: String?) throws -> ConsoleLaunchForm {
        ConsoleLaunchForm(manifest: try ConsoleAppManifest.parse(Self.manifest, file: "trainer.yaml"),
                          submitted: fields.map { ConsoleForm(urlEncoded: $0) })
    }

    @Test func controlsFollowTheParamsTypesDefaultsAndEnum() throws {
        let params = try #require(try form(nil).model(errors: ["run": "parameter run is required"])["params"] as? [[String: Any]])
        #expect(params.map { $0["name"] as? String } == ["steps", "resume", "size", "run"])
        #expect(params[0]["isNumber"] as? Bool == true && params[0]["value"] as? String == "100" && params[0]["hint"] as? String == "Optimizer steps.")
        #expect(params[1]["isBoolean"] as? Bool == true && params[1]["checked"] as? Bool == true)
        let options = try #require(params[2]["options"] as? [[String: Any]])
        #expect(options.map { $0["value"] as? String } == ["", "small", "large"], "an optional enum without a default offers none")
        #expect(params[3]["isText"] as? Bool == true && params[3]["required"] as? Bool == true)
        #expect(params[3]["error"] as? String == "parameter run is required" && params[3]["describedBy"] as? String == "error-run")
    }

    @Test func anUncheckedBoxSendsFalseAndBlankFieldsLeaveTheDefaultToTheAPI() throws {
        // The hidden `false` comes first; a checked box adds `true` after it.
        let request = try form("param.steps=&param.resume=false&param.size=large&param.run=r1&gpus=2&gpu-model=h100").request(app: "trainer", version: "2.0.0")
        #expect(request.params == ["resume": "false", "size": "large", "run": "r1"])
        #expect(request.gpus == nil, "the manifest's own GPU ask is not sent again")
        #expect(request.adapter == nil && request.environment == nil)
        let checked = try form("param.resume=false&param.resume=true&param.run=r1").request(app: "trainer", version: "2.0.0")
        #expect(checked.params?["resume"] == "true")
    }

    @Test func aChangedGPUAskIsSentAsModelAndCount() throws {
        #expect(try form("gpus=4&gpu-model=a100").request(app: "trainer", version: "2.0.0").gpus == "a100:4")
        #expect(try form("gpus=1").request(app: "trainer", version: "2.0.0").gpus == "1")
        #expect(try form("adapter=slurm&environment=staging").request(app: "trainer", version: "2.0.0").adapter == "slurm")
    }
}
