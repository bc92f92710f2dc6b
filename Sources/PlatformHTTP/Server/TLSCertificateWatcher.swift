import Foundation
import Logging
import ServiceLifecycle

/// Reads the listener's certificate and key again every `interval`, so a renewed pair is
/// served to new connections within that time, without a restart (see ``TLSCertificateSource``).
public struct TLSCertificateWatcher: Service {
    let source: TLSCertificateSource
    let interval: Duration
    let logger: Logger

    /// Creates the watcher.
    public init(source: TLSCertificateSource, interval: Duration = .seconds(2), logger: Logger) {
        self.source = source
        self.interval = interval
        self.logger = logger
    }

    /// Checks the files until graceful shutdown. A pair that cannot be used is logged once
    /// per change of the files and the current one stays in service.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var lastError: String?
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                do {
                    if let loaded = try source.reloadIfChanged() {
                        lastError = nil
                        logger.notice("TLS certificate reloaded", metadata: [
                            "subject": "\(loaded.subject)", "serial": "\(loaded.serial)", "not_after": "\(loaded.notAfter)",
                        ])
                    }
                } catch {
                    let message = "\(error)"
                    if message != lastError {
                        logger.error("TLS certificate not reloaded; the previous one is still served", metadata: ["error": "\(message)"])
                        lastError = message
                    }
                }
            }
        }
    }
}
