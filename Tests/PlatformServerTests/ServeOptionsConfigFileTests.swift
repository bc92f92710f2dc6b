import Foundation
import PlatformContracts
import PlatformServer
import PlatformTestKit
import Testing

/// Every `platformd serve` option can also come from the config file, as `serve --help`
/// promises: an option added without its config file key is refused there as an unknown key
/// (the billing options of issue 19 were, until this test).
@Suite("Serve options in the config file")
struct ServeOptionsConfigFileTests {
    /// The long option names declared in ServeCommand.swift (`var connectMaxTtl` →
    /// `connect-max-ttl`, `var databaseURL` → `database-url`), except `--config` itself.
    static func serveOptions() throws -> [String] {
        let url = InstanceProcessTests.root.appendingPathComponent("Sources/PlatformServer/Commands/ServeCommand.swift")
        let source = try String(contentsOf: url, encoding: .utf8)
        var options: [String] = []
        for match in source.matches(of: /@Option\(name: \.long[^\n]*\n\s*var (\w+)/) {
            // A capital after a small letter starts a word; an acronym stays one (databaseURL → database-url).
            var name = "", previous: Character = " "
            for character in match.1 {
                name += character.isUppercase && previous.isLowercase ? "-" + character.lowercased() : character.lowercased()
                previous = character
            }
            if name != "config" { options.append(name) }
        }
        return options
    }

    @Test("every serve option is a config file key")
    func everyServeOptionIsAConfigFileKey() async throws {
        let options = try Self.serveOptions()
        #expect(options.contains("statement-close-delay") && options.contains("rating-interval") && options.count > 20)
        try await withTemporaryDirectory { directory async throws in
            for option in options {
                let file = directory.appending("\(option).yaml")
                try "\(option): \"1\"\n".write(to: file, atomically: true, encoding: .utf8)
                do {
                    _ = try ServerConfiguration.resolve(flags: .init(configFile: file.path), environment: [:])
                } catch let error as PlatformError {
                    #expect(!error.message.contains("unknown key"), "\(option): \(error.message)")
                }
            }
        }
    }

    @Test("the statement close delay comes from flags, PLATFORMD_* or the file, within 0…31 days")
    func statementCloseDelay() async throws {
        #expect(try ServerConfiguration.resolve(flags: .init(), environment: [:]).statementCloseDelaySeconds == 3600)
        #expect(try ServerConfiguration.resolve(flags: .init(statementCloseDelay: "0"), environment: [:]).statementCloseDelaySeconds == 0)
        #expect(try ServerConfiguration.resolve(flags: .init(), environment: ["PLATFORMD_STATEMENT_CLOSE_DELAY": "7200"])
            .statementCloseDelaySeconds == 7200)
        try await withTemporaryDirectory { directory async throws in
            let file = directory.appending("platformd.yaml")
            try "statement-close-delay: 60\n".write(to: file, atomically: true, encoding: .utf8)
            #expect(try ServerConfiguration.resolve(flags: .init(configFile: file.path), environment: [:]).statementCloseDelaySeconds == 60)
        }
        let error = #expect(throws: PlatformError.self) {
            try ServerConfiguration.resolve(flags: .init(statementCloseDelay: "2678401"), environment: [:])
        }
        #expect(error?.message.contains("0…2678400 seconds") == true)
    }
}
