import AppCtlKit
import Foundation
import PlatformContracts
import PlatformTestKit
import Testing

@Suite("appctl audit list: filters and newest-first pages", .tags(.integration))
struct AuditListCommandTests {
    @Test("--newest pages follow the --cursor printed on stderr, older each time, until none is printed; filters narrow the list")
    func newestFirstPagesFollowTheirCursor() async throws {
        try await withTemporaryDirectory { directory async throws in
            let appctl = CommandHarness(directory: directory)
            try await withServer(directory) { url async throws in
                let keyFile = directory.appending("server/bootstrap-admin.key").path
                #expect(await appctl.run("context", "add", "local", "--server", url).exitCode == 0)
                #expect(await appctl.run("login", "--key-file", keyFile).exitCode == 0)
                for name in ["acme", "globex", "initech"] { #expect(await appctl.run("tenant", "create", name).exitCode == 0) }

                var cursor: String?
                var sequences: [Int64] = []
                for _ in 0..<20 {
                    let page = await appctl.run(["audit", "list", "--action", "iam.tenant.create", "--limit", "1", "-o", "json"]
                                                + (cursor.map { ["--cursor", $0] } ?? ["--newest"]))
                    #expect(page.exitCode == 0, "\(page.errorOutput)")
                    sequences += try JSONDecoder().decode([AuditRecord].self, from: Data(page.output.utf8)).map(\.sequence)
                    cursor = page.errorOutput.components(separatedBy: "--cursor ").dropFirst().first?
                        .trimmingCharacters(in: .whitespacesAndNewlines)
                    if cursor == nil { break }
                }
                #expect(sequences.count == 3, "three tenants, one a page: \(sequences)")
                #expect(sequences == sequences.sorted(by: >))

                let mine = await appctl.run("audit", "list", "--actor", "nobody-at-all", "--newest")
                #expect(mine.exitCode == 0 && !mine.output.contains("iam.tenant.create"))
                let refused = await appctl.run("audit", "list", "--cursor", "not-a-cursor")
                #expect(refused.exitCode == 64, "a cursor this tool never printed is a usage error")
            }
        }
    }
}
