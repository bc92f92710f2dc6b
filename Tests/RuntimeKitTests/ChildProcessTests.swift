import Foundation
import PlatformTestKit
import Testing

@Suite("Test child processes")
struct ChildProcessTests {
    @Test("a spawned child inherits no descriptor beyond stdin, stdout and stderr")
    func noInheritedDescriptors() async throws {
        try await withTemporaryDirectory { directory async throws in
            let held = Pipe()  // open in this process while the child starts
            let child = try ChildProcess("/bin/ls", ["/proc/self/fd"], outputPath: directory.appending("fds.txt").path)
            #expect(await child.wait(timeout: .seconds(20)) == 0)
            let descriptors = Set(child.output.split(whereSeparator: \.isWhitespace).compactMap { Int($0) })
            // ls itself opens /proc/self/fd as descriptor 3.
            #expect(descriptors.isSubset(of: [0, 1, 2, 3]), "inherited: \(descriptors.sorted())")
            withExtendedLifetime(held) {}
        }
    }
}
