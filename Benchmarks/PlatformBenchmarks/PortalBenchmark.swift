import Foundation
import PortalGenerator

/// Times the portal generator over this checkout's contracts: loading the inputs once, then
/// model + render `iterations` times (CLI help is not part of it: appctl passes it in).
/// `swift run -c release PlatformBenchmarks portal [--iterations N]`
enum PortalBenchmark {
    static func run(iterations: Int) throws {
        let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let clock = ContinuousClock()
        let loadStarted = clock.now
        let inputs = try PortalInputs.load(checkout: root, commands: [])
        let load = clock.now - loadStarted
        var samples: [Duration] = []
        var files = 0
        for _ in 0..<max(1, iterations) {
            let started = clock.now
            files = PortalGenerator.generate(inputs).files.count
            samples.append(clock.now - started)
        }
        samples.sort()
        func ms(_ duration: Duration) -> String { String(format: "%.2f ms", Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000) }
        print("command: swift run -c release PlatformBenchmarks portal --iterations \(iterations)")
        print("portal: \(files) files; load \(ms(load)); generate p50 \(ms(samples[samples.count / 2])) p99 \(ms(samples[min(samples.count - 1, samples.count * 99 / 100)])) max \(ms(samples.last!)) (goal: well under 1 s)")
    }
}
