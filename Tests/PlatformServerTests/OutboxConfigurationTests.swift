import PlatformContracts
import PlatformServer
import Testing

/// The outbox and key-expiry settings the crash, retry and benchmark runs depend on.
@Suite("Outbox and key-expiry settings")
struct OutboxConfigurationTests {
    @Test("outbox poll, retry base, attempts and the key-expiry scan interval come from flags, environment or file, with defaults")
    func outboxSettingsResolve() throws {
        let defaults = try ServerConfiguration.resolve(flags: .init(), environment: [:])
        #expect(defaults.outboxPollIntervalMilliseconds == 1000 && defaults.outboxRetryBaseMilliseconds == 1000)
        #expect(defaults.outboxMaxAttempts == 8 && defaults.keyExpiryScanIntervalSeconds == 3600)
        let set = try ServerConfiguration.resolve(
            flags: .init(outboxPollInterval: "100", outboxRetryBase: "50", keyExpiryScanInterval: "60"),
            environment: ["PLATFORMD_OUTBOX_MAX_ATTEMPTS": "3"])
        #expect(set.outboxPollIntervalMilliseconds == 100 && set.outboxRetryBaseMilliseconds == 50)
        #expect(set.outboxMaxAttempts == 3 && set.keyExpiryScanIntervalSeconds == 60)
    }

    @Test("an outbox setting out of range is refused with configInvalid naming where it came from")
    func outboxSettingsOutOfRangeAreRefused() {
        for flags in [ServerConfiguration.Overrides(outboxPollInterval: "5"), .init(outboxRetryBase: "0"),
                      .init(outboxMaxAttempts: "101"), .init(keyExpiryScanInterval: "86401")] {
            #expect(throws: PlatformError.self) { try ServerConfiguration.resolve(flags: flags, environment: [:]) }
        }
        do {
            _ = try ServerConfiguration.resolve(flags: .init(), environment: ["PLATFORMD_OUTBOX_POLL_INTERVAL": "x"])
            Issue.record("accepted a poll interval of x")
        } catch {
            #expect(error.code == .configInvalid && error.message.contains("PLATFORMD_OUTBOX_POLL_INTERVAL"))
        }
    }
}
