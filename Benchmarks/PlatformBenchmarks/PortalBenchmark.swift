import Foundation
import PortalGenerator
import PortalPreview

/// Times the portal generator over this checkout's contracts: loading the inputs once, then
/// model + render `iterations` times (CLI help is not part of it: appctl passes it in, so the
/// guides' command checks report every command as unknown here, which costs the same); and
/// the cmark-gfm preview of the committed `portal/` (what platformd does at start-up).
/// `swift run -c release PlatformBenchmarks portal [--iterations N]`
enum PortalBenchmark {
    static func run(iterations: Int) throws {
        let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let clock = ContinuousClock()
        let loadStarted = clock.now
        // The typed API contract, like the CLI help, is handed in by appctl (PlatformAPI is not linked here).
        let inputs = try PortalInputs.load(checkout: root, commands: [], api: APIContract(source: "Sources/PlatformAPI/Endpoints/", operations: [], schemas: []))
        let load = clock.now - loadStarted
        var samples: [Duration] = []
        var files = 0
        for _ in 0..<max(1, iterations) {
            let started = clock.now
            files = PortalGenerator.generate(inputs).files.count
            samples.append(clock.now - started)
        }
        var previews: [Duration] = []
        var pages = 0
        for _ in 0..<max(1, iterations) {
            let started = clock.now
            pages = try PortalPreview.render(portal: root.appendingPathComponent("portal")).count
            previews.append(clock.now - started)
        }
        samples.sort()
        previews.sort()
        func ms(_ duration: Duration) -> String { String(format: "%.2f ms", Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000) }
        print("command: swift run -c release PlatformBenchmarks portal --iterations \(iterations)")
        print("portal: \(files) files; load \(ms(load)); generate p50 \(ms(samples[samples.count / 2])) p99 \(ms(samples[min(samples.count - 1, samples.count * 99 / 100)])) max \(ms(samples.last!)) (goal: well under 1 s)")
        print("preview: \(pages) HTML pages with cmark-gfm; p50 \(ms(previews[previews.count / 2])) p99 \(ms(previews[min(previews.count - 1, previews.count * 99 / 100)])) max \(ms(previews.last!))")
    }
}
