import EvidenceService
import Logging
import PlatformContracts
import PlatformHTTP
import PlatformStore
import ServiceLifecycle

/// Samples ``ReleaseEvidenceAge`` every `interval` (default 30 s) into
/// `platform_release_evidence_age_seconds{environment}`, beside the policy snapshot age, the
/// outbox lag and the usage rating lag it is read with. A read that fails leaves the last
/// value (the age of what was measured, not a guess) and is logged at debug.
struct ReleaseEvidenceAgeMonitor: Service {
    let store: SQLStore
    let metrics: PlatformMetrics
    var interval: Duration = .seconds(30)
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    for (environment, age) in try await ReleaseEvidenceAge.sample(store) {
                        metrics.setReleaseEvidenceAge(environment: environment, seconds: Double(age.wholeMilliseconds) / 1000)
                    }
                } catch is CancellationError {
                    return
                } catch {
                    logger.debug("release evidence age unavailable", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
