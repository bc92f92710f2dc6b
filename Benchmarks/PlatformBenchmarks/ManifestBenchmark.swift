import Foundation
import ManifestKit
import RegistryService
import Yams

/// Manifest validation throughput and latency, next to Python's `jsonschema` validating
/// the same documents against the same schema file in the same run.
enum ManifestBenchmark {
    static let peerScript = #"""
    import json, sys, time, yaml, jsonschema
    schema = json.load(open(sys.argv[1]))
    validator = jsonschema.Draft202012Validator(schema)
    texts = [open(path).read() for path in sys.argv[3:]]
    samples = []
    for i in range(int(sys.argv[2])):
        text = texts[i % len(texts)]
        start = time.perf_counter_ns()
        errors = list(validator.iter_errors(yaml.safe_load(text)))
        samples.append(time.perf_counter_ns() - start)
        assert not errors, errors
    samples.sort()
    total = sum(samples) / 1e9
    print(json.dumps({"ops": len(samples) / total, "p50": samples[len(samples) // 2] / 1e6, "p99": samples[int(len(samples) * 0.99)] / 1e6}))
    """#

    static func run(iterations: Int) throws {
        let registries = try RegistryFiles.at(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("manifests/platform"),
                                           setting: "nothing: run the benchmarks from the checkout")
        let validator = try registries.manifestValidator()
        let apps = registries.directory.deletingLastPathComponent().appendingPathComponent("apps")
        let files = try FileManager.default.contentsOfDirectory(atPath: apps.path).filter { $0.hasSuffix(".yaml") }.sorted()
            .map { apps.appendingPathComponent($0).path }
        let texts = try files.map { try String(contentsOfFile: $0, encoding: .utf8) }

        let clock = ContinuousClock()
        var samples: [Double] = []
        samples.reserveCapacity(iterations)
        for index in 0..<iterations {
            let start = clock.now
            let report = validator.validate(text: texts[index % texts.count], file: "bench.yaml")
            let elapsed = clock.now - start
            precondition(report.valid, "a supported app stopped validating")
            samples.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        }
        if CommandLine.arguments.contains("--breakdown") {
            var start = clock.now
            for index in 0..<iterations { _ = try Yams.compose(yaml: texts[index % texts.count], .basic) }
            print("yaml compose only: \(clock.now - start)")
            start = clock.now
            for index in 0..<iterations { _ = LocatedValue(try Yams.compose(yaml: texts[index % texts.count], .basic)!) }
            print("compose + located tree: \(clock.now - start)")
            start = clock.now
            for index in 0..<iterations { _ = validator.validate(text: texts[index % texts.count], file: "bench.yaml") }
            print("full validation: \(clock.now - start)")
        }
        samples.sort()
        let swift = (ops: Double(samples.count) / (samples.reduce(0, +) / 1000), p50: samples[samples.count / 2],
                     p99: samples[Int(Double(samples.count) * 0.99)])

        let schemaPath = registries.directory.deletingLastPathComponent().appendingPathComponent("schema/app-manifest.v1.schema.json").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", peerScript, schemaPath, String(iterations)] + files
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()

        print("manifest validation, \(files.count) supported apps round-robin, \(iterations) validations, one thread")
        print("measurement                               ops/s     p50 ms    p99 ms")
        func row(_ name: String, _ ops: Double, _ p50: Double, _ p99: Double) -> String {
            name.padding(toLength: 40, withPad: " ", startingAt: 0) + [ops, p50, p99].map { String(format: "%10.3f", $0) }.joined()
        }
        print(row("swift ManifestKit (schema+semantic)", swift.ops, swift.p50, swift.p99))
        guard process.terminationStatus == 0,
              let peer = try? JSONSerialization.jsonObject(with: output) as? [String: Double],
              let ops = peer["ops"], let p50 = peer["p50"], let p99 = peer["p99"]
        else {
            print("python jsonschema peer did not run (pip install jsonschema pyyaml)")
            return
        }
        print(row("python jsonschema (schema only)", ops, p50, p99))
        print(String(format: "throughput ratio swift/python: %.1fx; p99 ratio python/swift: %.1fx", swift.ops / ops, p99 / swift.p99))
    }
}
