import Foundation
import Logging
import ManifestKit
import NotificationService
import PlatformContracts
import Yams

/// Everything `platformd serve` needs, resolved from (highest first) flags, `PLATFORMD_*`
/// environment variables, an optional YAML config file, and defaults.
///
/// Config file keys: ``fileKeys`` (`data-dir`, `listen`, `resources`, …).
/// Unknown keys are refused so a typo never silently falls back to a default.
public struct ServerConfiguration: Sendable, Equatable {
    /// Where the SQLite database, blobs and the bootstrap key live.
    public var dataDirectory: String
    /// Where to listen.
    public var listen: ListenAddress
    /// `postgres://…` or `sqlite:…`; `nil` means SQLite in the data directory.
    public var databaseURL: String?
    /// `--blob-store`: `nil` or `file` for `blobs/` in the data directory, or an
    /// `s3://BUCKET[/PREFIX]?endpoint=…&region=…` URL (see `S3Bucket`); its keys come only
    /// from `PLATFORMD_S3_ACCESS_KEY_ID` / `PLATFORMD_S3_SECRET_ACCESS_KEY`, never the file.
    public var blobStore: String?
    /// `--tls-cert`/`--tls-key`: the PEM certificate chain and private key the listener
    /// serves TLS with (read again when they change); `nil` serves plain HTTP.
    public var tls: TLSFiles?
    /// `--sendfile on|off`: blob GETs from local files go out with `sendfile(2)` (plain
    /// HTTP only; TLS always reads); `off` reads them through the response body instead.
    public var sendfile = true
    /// `--replica-id`: this replica's name in its instances' supervisor leases (`nil`: the
    /// host name). Replicas on one database need distinct ids.
    public var replicaID: String?
    /// `--instance-lease`: seconds an instance's supervisor lease runs unrenewed before
    /// another replica may take the instance over.
    public var instanceLeaseSeconds: Int = 10
    /// Minimum log level.
    public var logLevel: Logger.Level
    /// `json` (default) or `text`.
    public var logFormat: LogFormat
    /// Folder of the shipped data files (registries, manifest schema, portal, slurm job
    /// template, laid out as in the repository); `.`, the working directory, by default.
    /// See ``ResourceDirectory``.
    public var resourcesDirectory: String = "."
    /// Folder of the registry files; `nil`: `manifests/platform` under ``resourcesDirectory``.
    public var registryDirectory: String?
    /// The `nvidia-smi` to discover GPUs with; `nil`: the one on `PATH` (none ⇒ no GPUs).
    public var nvidiaSMI: String?
    /// A file declaring this host's GPUs (YAML or JSON); when set, `nvidia-smi` is not run.
    public var gpuInventory: String?
    /// `slurm.conf` of the cluster the slurm adapter submits to; `nil`: no slurm adapter.
    public var slurmConf: String?
    /// The partition slurm launches use when the manifest names none.
    public var slurmPartition: String?
    /// The plan (`policies.yaml`) of tenants with none assigned: the policy service's default plan.
    public var quotaPlan: String = "plan.standard"
    /// Seconds a replica's policy snapshot may go unconfirmed before capacity, authority and
    /// financial writes fail closed with `policy.stale`; 10…86400, default 300 (the seed's 5 min).
    public var policyFreshnessBudgetSeconds: Int = 300
    /// Seconds an IAM read-model entry (an API key, a principal's memberships) may be served
    /// from memory before it is read again; 1…300, default 5. Writes invalidate at once (in
    /// process, and across replicas through PostgreSQL `LISTEN/NOTIFY`); the budget bounds a
    /// change's reach when a notification is lost.
    public var iamFreshnessBudgetSeconds: Int = 5
    /// Seconds between policy refreshes; 1…3600 and below the budget, default 15.
    public var policyRefreshIntervalSeconds: Int = 15
    /// Seconds per usage-metering interval: the billing granularity. Shorter intervals give
    /// finer usage (and a partial last interval matters less) for more metering rows; ≥ 1.
    public var meteringIntervalSeconds: Int = 60
    /// Milliseconds between the instance supervisor's looks at live instances: its reaction
    /// time (exits, readiness, idle stops, stop re-issues) against the load of one adapter
    /// `inspect` per instance per look (a `squeue`/`sacct` on Slurm); 10…60000.
    public var pollIntervalMilliseconds: Int = 250
    /// The policy's longest connect-session lifetime in seconds (a manifest may ask for less).
    public var connectMaxTTLSeconds: Int = 900
    /// Seconds a client has to send a complete request head (first request: from connecting).
    public var requestHeadTimeoutSeconds: Int = 10
    /// Seconds a kept-alive connection may sit idle (or a request body stall) before it is closed.
    public var idleTimeoutSeconds: Int = 60
    /// The URL clients reach this server at (scheme, host, port), used in the registry's
    /// `WWW-Authenticate` realm instead of anything the client sends; `nil`: derived from
    /// ``listen`` (see ``effectiveExternalURL``).
    public var externalURL: String?
    /// Milliseconds the outbox dispatcher waits after a poll that found nothing due: the
    /// floor of intent → delivery latency when idle; 10…3600000, default 1000.
    public var outboxPollIntervalMilliseconds: Int = 1000
    /// Milliseconds before the outbox's first retry (doubling after each failure, with
    /// jitter, capped at 10 min); 1…600000, default 1000.
    public var outboxRetryBaseMilliseconds: Int = 1000
    /// Delivery attempts (the first included) before an intent is dead-lettered; 1…100, default 8.
    public var outboxMaxAttempts: Int = 8
    /// Seconds between scans for API keys about to expire (`key.expiring`); 1…86400, default 3600.
    public var keyExpiryScanIntervalSeconds: Int = 3600
    /// Seconds after which a usage event is too late to ingest (`usage.too_late`); a late
    /// event inside the window is accepted and rated as an adjustment. 60…31536000, default 72 h.
    public var usageLateWindowSeconds: Int = 72 * 3600
    /// Milliseconds the rating worker waits between passes when nothing wakes it (ingest
    /// wakes it at once); 10…3600000, default 1000.
    public var ratingIntervalMilliseconds: Int = 1000
    /// Seconds per registry storage sample: each project's stored bytes are metered once per
    /// interval as `registry-storage-gib-hour` byte-seconds; 10…86400, default 3600.
    public var storageSampleIntervalSeconds: Int = 3600
    /// Seconds between the status monitor's passes, which run the readiness checks and
    /// record each component's condition and its changes; 1…3600, default 15.
    public var statusIntervalSeconds: Int = 15
    /// The secrets master keyring file (`--secrets-master-key`); `nil`: `secrets-master.key` in
    /// the data directory, generated on first start. `PLATFORMD_SECRETS_MASTER_KEY` (base64
    /// keys) takes precedence over both and is never part of the configuration.
    public var secretsMasterKeyFile: String?
    /// Milliseconds between balance rollup passes (postings folded into the balances balance
    /// reads use); 10…3600000, default 5000.
    public var balanceRollupIntervalMilliseconds: Int = 5000
    /// Seconds a balance rollup may age before balance reads are stamped stale; 1…86400, default 60.
    public var balanceStalenessBudgetSeconds: Int = 60
    /// Seconds after a month ends before its statements close on their own (room for usage
    /// still in flight); 0…2678400 (31 days), default 3600.
    public var statementCloseDelaySeconds: Int = 3600
    /// The SMTP relay and sender for email notices (`--smtp HOST:PORT`, `--smtp-from`);
    /// `nil` turns the email channel off.
    public var smtp: SMTPSettings?

    /// ``externalURL``, or `http://<listen host>:<port>` (`127.0.0.1` for a wildcard host).
    public var effectiveExternalURL: String {
        if let externalURL { return externalURL }
        let host = listen.host == "0.0.0.0" || listen.host == "::" ? "127.0.0.1" : listen.host
        return "\(tls == nil ? "http" : "https")://\(host.contains(":") ? "[\(host)]" : host):\(listen.port)"
    }

    /// The listener's certificate chain and key files.
    public struct TLSFiles: Sendable, Equatable {
        /// PEM certificate chain, leaf first.
        public var certificate: String
        /// PEM private key (PKCS#8, SEC1 or PKCS#1).
        public var key: String

        /// Names the files.
        public init(certificate: String, key: String) {
            self.certificate = certificate
            self.key = key
        }
    }

    /// Log line formats.
    public enum LogFormat: String, Sendable, Equatable, CaseIterable {
        /// One JSON object per line.
        case json
        /// swift-log's default human format.
        case text
    }

    /// The built-in defaults.
    public static let defaults = ServerConfiguration(
        dataDirectory: "./platformd-data", listen: ListenAddress(host: "127.0.0.1", port: 8080),
        databaseURL: nil, logLevel: .info, logFormat: .json)

    /// Creates a configuration.
    public init(dataDirectory: String, listen: ListenAddress, databaseURL: String?, logLevel: Logger.Level, logFormat: LogFormat,
                registryDirectory: String? = nil) {
        self.registryDirectory = registryDirectory
        self.dataDirectory = dataDirectory
        self.listen = listen
        self.databaseURL = databaseURL
        self.logLevel = logLevel
        self.logFormat = logFormat
    }

    /// Values given on the command line; `nil` where a flag was not given.
    public struct Overrides: Sendable, Equatable {
        /// `--data-dir`.
        public var dataDirectory: String?
        /// `--listen`.
        public var listen: String?
        /// `--database-url`.
        public var databaseURL: String?
        /// `--log-level`.
        public var logLevel: String?
        /// `--log-format`.
        public var logFormat: String?
        /// `--config`.
        public var configFile: String?
        /// `--registry-dir`.
        public var registryDirectory: String?
        /// `--resources`.
        public var resources: String?
        /// `--nvidia-smi`.
        public var nvidiaSMI: String?
        /// `--gpu-inventory`.
        public var gpuInventory: String?
        /// `--slurm-conf`.
        public var slurmConf: String?
        /// `--slurm-partition`.
        public var slurmPartition: String?
        /// `--quota-plan`.
        public var quotaPlan: String?
        /// `--metering-interval`.
        public var meteringInterval: String?
        /// `--poll-interval`.
        public var pollInterval: String?
        /// `--connect-max-ttl`.
        public var connectMaxTTL: String?
        /// `--request-head-timeout`.
        public var requestHeadTimeout: String?
        /// `--idle-timeout`.
        public var idleTimeout: String?
        /// `--external-url`.
        public var externalURL: String?
        /// `--policy-freshness-budget`.
        public var policyFreshnessBudget: String?
        /// `--policy-refresh-interval`.
        public var policyRefreshInterval: String?
        /// `--outbox-poll-interval`.
        public var outboxPollInterval: String?
        /// `--outbox-retry-base`.
        public var outboxRetryBase: String?
        /// `--outbox-max-attempts`.
        public var outboxMaxAttempts: String?
        /// `--key-expiry-scan-interval`.
        public var keyExpiryScanInterval: String?
        /// `--usage-late-window`.
        public var usageLateWindow: String?
        /// `--rating-interval`.
        public var ratingInterval: String?
        /// `--storage-sample-interval`.
        public var storageSampleInterval: String?
        /// `--balance-rollup-interval`.
        public var balanceRollupInterval: String?
        /// `--balance-staleness-budget`.
        public var balanceStalenessBudget: String?
        /// `--statement-close-delay`.
        public var statementCloseDelay: String?
        /// `--smtp`.
        public var smtp: String?
        /// `--smtp-from`.
        public var smtpFrom: String?
        /// `--status-interval`.
        public var statusInterval: String?
        /// `--secrets-master-key`.
        public var secretsMasterKey: String?
        /// `--blob-store`.
        public var blobStore: String?
        /// `--iam-freshness-budget`.
        public var iamFreshnessBudget: String?
        /// `--tls-cert`.
        public var tlsCertificate: String?
        /// `--tls-key`.
        public var tlsKey: String?
        /// `--sendfile`.
        public var sendfile: String?
        /// `--replica-id`.
        public var replicaID: String?
        /// `--instance-lease`.
        public var instanceLease: String?

        /// Creates overrides.
        public init(dataDirectory: String? = nil, listen: String? = nil, databaseURL: String? = nil,
                    logLevel: String? = nil, logFormat: String? = nil, configFile: String? = nil,
                    registryDirectory: String? = nil, nvidiaSMI: String? = nil, slurmConf: String? = nil,
                    slurmPartition: String? = nil, quotaPlan: String? = nil, meteringInterval: String? = nil,
                    pollInterval: String? = nil, gpuInventory: String? = nil, connectMaxTTL: String? = nil,
                    requestHeadTimeout: String? = nil, idleTimeout: String? = nil,
                    externalURL: String? = nil, resources: String? = nil, policyFreshnessBudget: String? = nil, policyRefreshInterval: String? = nil, outboxPollInterval: String? = nil,
                    outboxRetryBase: String? = nil, outboxMaxAttempts: String? = nil, keyExpiryScanInterval: String? = nil,
                    usageLateWindow: String? = nil, ratingInterval: String? = nil, storageSampleInterval: String? = nil,
                    balanceRollupInterval: String? = nil, balanceStalenessBudget: String? = nil, statementCloseDelay: String? = nil,
                    smtp: String? = nil, smtpFrom: String? = nil) {
            self.smtp = smtp
            self.smtpFrom = smtpFrom
            self.outboxPollInterval = outboxPollInterval
            self.outboxRetryBase = outboxRetryBase
            self.outboxMaxAttempts = outboxMaxAttempts
            self.keyExpiryScanInterval = keyExpiryScanInterval
            self.usageLateWindow = usageLateWindow
            self.ratingInterval = ratingInterval
            self.storageSampleInterval = storageSampleInterval
            self.balanceRollupInterval = balanceRollupInterval
            self.balanceStalenessBudget = balanceStalenessBudget
            self.statementCloseDelay = statementCloseDelay
            self.resources = resources
            self.policyFreshnessBudget = policyFreshnessBudget
            self.policyRefreshInterval = policyRefreshInterval
            self.requestHeadTimeout = requestHeadTimeout
            self.idleTimeout = idleTimeout
            self.externalURL = externalURL
            self.pollInterval = pollInterval
            self.connectMaxTTL = connectMaxTTL
            self.gpuInventory = gpuInventory
            self.slurmConf = slurmConf
            self.slurmPartition = slurmPartition
            self.quotaPlan = quotaPlan
            self.meteringInterval = meteringInterval
            self.nvidiaSMI = nvidiaSMI
            self.registryDirectory = registryDirectory
            self.dataDirectory = dataDirectory
            self.listen = listen
            self.databaseURL = databaseURL
            self.logLevel = logLevel
            self.logFormat = logFormat
            self.configFile = configFile
        }
    }

    static let fileKeys = ["data-dir", "listen", "database-url", "log-level", "log-format", "registry-dir", "nvidia-smi",
                           "slurm-conf", "slurm-partition", "quota-plan", "metering-interval", "poll-interval", "gpu-inventory",
                           "connect-max-ttl", "request-head-timeout", "idle-timeout", "external-url",
                           "policy-freshness-budget", "policy-refresh-interval",
                           "outbox-poll-interval", "outbox-retry-base", "outbox-max-attempts", "key-expiry-scan-interval",
                           "smtp", "smtp-from",
                           "usage-late-window", "rating-interval", "storage-sample-interval", "balance-rollup-interval",
                           "balance-staleness-budget", "statement-close-delay", "status-interval",
                           "resources", "secrets-master-key", "blob-store", "iam-freshness-budget",
                           "tls-cert", "tls-key", "sendfile", "replica-id", "instance-lease"]

    /// Resolves the configuration.
    /// - Parameters:
    ///   - flags: Command-line values.
    ///   - environment: The process environment (`PLATFORMD_DATA_DIR`, `PLATFORMD_LISTEN`,
    ///     `PLATFORMD_DATABASE_URL`, `PLATFORMD_LOG_LEVEL`, `PLATFORMD_LOG_FORMAT`, `PLATFORMD_CONFIG`).
    /// - Throws: ``ErrorCode/configInvalid`` naming the bad value and where it came from.
    public static func resolve(flags: Overrides, environment: [String: String]) throws(PlatformError) -> ServerConfiguration {
        var file: [String: String] = [:]
        if let path = flags.configFile ?? environment["PLATFORMD_CONFIG"] {
            file = try loadFile(path)
        }
        func pick(_ flag: String?, _ env: String, _ key: String) -> (value: String, origin: String)? {
            if let flag { return (flag, "flag") }
            if let value = environment["PLATFORMD_\(env)"], !value.isEmpty { return (value, "PLATFORMD_\(env)") }
            if let value = file[key] { return (value, "config file key \(key)") }
            return nil
        }
        var result = defaults
        if let value = pick(flags.dataDirectory, "DATA_DIR", "data-dir") { result.dataDirectory = value.value }
        if let value = pick(flags.listen, "LISTEN", "listen") { result.listen = try ListenAddress(parsing: value.value) }
        if let value = pick(flags.databaseURL, "DATABASE_URL", "database-url") { result.databaseURL = value.value }
        if let value = pick(flags.resources, "RESOURCES", "resources") { result.resourcesDirectory = value.value }
        if let value = pick(flags.registryDirectory, "REGISTRY_DIR", "registry-dir") { result.registryDirectory = value.value }
        if let value = pick(flags.nvidiaSMI, "NVIDIA_SMI", "nvidia-smi") { result.nvidiaSMI = value.value }
        if let value = pick(flags.gpuInventory, "GPU_INVENTORY", "gpu-inventory") { result.gpuInventory = value.value }
        if let value = pick(flags.slurmConf, "SLURM_CONF", "slurm-conf") { result.slurmConf = value.value }
        if let value = pick(flags.slurmPartition, "SLURM_PARTITION", "slurm-partition") { result.slurmPartition = value.value }
        if let value = pick(flags.quotaPlan, "QUOTA_PLAN", "quota-plan") { result.quotaPlan = value.value }
        /// A whole number within `range` from wherever `pick` found it, else the message says
        /// what was wrong and where it came from.
        func integer(_ flag: String?, _ env: String, _ key: String, in range: ClosedRange<Int>,
                     _ describe: (String, String) -> String) throws(PlatformError) -> Int? {
            guard let value = pick(flag, env, key) else { return nil }
            guard let number = Int(value.value), range.contains(number) else {
                throw PlatformError(.configInvalid, describe(value.value, value.origin))
            }
            return number
        }
        if let seconds = try integer(flags.meteringInterval, "METERING_INTERVAL", "metering-interval", in: 1...Int.max, {
            "metering interval \"\($0)\" from \($1) is not a whole number of seconds ≥ 1"
        }) { result.meteringIntervalSeconds = seconds }
        if let milliseconds = try integer(flags.pollInterval, "POLL_INTERVAL", "poll-interval", in: 10...60_000, {
            "poll interval \"\($0)\" from \($1) is not 10…60000 milliseconds"
        }) { result.pollIntervalMilliseconds = milliseconds }
        if let seconds = try integer(flags.connectMaxTTL, "CONNECT_MAX_TTL", "connect-max-ttl", in: 60...86_400, {
            "connect max TTL \"\($0)\" from \($1) is not 60…86400 seconds"
        }) { result.connectMaxTTLSeconds = seconds }
        if let seconds = try integer(flags.requestHeadTimeout, "REQUEST_HEAD_TIMEOUT", "request-head-timeout", in: 1...600, {
            "request head timeout \"\($0)\" from \($1) is not 1…600 seconds"
        }) { result.requestHeadTimeoutSeconds = seconds }
        if let seconds = try integer(flags.idleTimeout, "IDLE_TIMEOUT", "idle-timeout", in: 1...86_400, {
            "idle timeout \"\($0)\" from \($1) is not 1…86400 seconds"
        }) { result.idleTimeoutSeconds = seconds }
        if let milliseconds = try integer(flags.outboxPollInterval, "OUTBOX_POLL_INTERVAL", "outbox-poll-interval", in: 10...3_600_000, {
            "outbox poll interval \"\($0)\" from \($1) is not 10…3600000 milliseconds"
        }) { result.outboxPollIntervalMilliseconds = milliseconds }
        if let milliseconds = try integer(flags.outboxRetryBase, "OUTBOX_RETRY_BASE", "outbox-retry-base", in: 1...600_000, {
            "outbox retry base \"\($0)\" from \($1) is not 1…600000 milliseconds"
        }) { result.outboxRetryBaseMilliseconds = milliseconds }
        if let attempts = try integer(flags.outboxMaxAttempts, "OUTBOX_MAX_ATTEMPTS", "outbox-max-attempts", in: 1...100, {
            "outbox max attempts \"\($0)\" from \($1) is not 1…100"
        }) { result.outboxMaxAttempts = attempts }
        if let seconds = try integer(flags.keyExpiryScanInterval, "KEY_EXPIRY_SCAN_INTERVAL", "key-expiry-scan-interval", in: 1...86_400, {
            "key expiry scan interval \"\($0)\" from \($1) is not 1…86400 seconds"
        }) { result.keyExpiryScanIntervalSeconds = seconds }
        if let seconds = try integer(flags.usageLateWindow, "USAGE_LATE_WINDOW", "usage-late-window", in: 60...31_536_000, {
            "usage late window \"\($0)\" from \($1) is not 60…31536000 seconds"
        }) { result.usageLateWindowSeconds = seconds }
        if let milliseconds = try integer(flags.ratingInterval, "RATING_INTERVAL", "rating-interval", in: 10...3_600_000, {
            "rating interval \"\($0)\" from \($1) is not 10…3600000 milliseconds"
        }) { result.ratingIntervalMilliseconds = milliseconds }
        if let seconds = try integer(flags.storageSampleInterval, "STORAGE_SAMPLE_INTERVAL", "storage-sample-interval", in: 10...86_400, {
            "storage sample interval \"\($0)\" from \($1) is not 10…86400 seconds"
        }) { result.storageSampleIntervalSeconds = seconds }
        if let milliseconds = try integer(flags.balanceRollupInterval, "BALANCE_ROLLUP_INTERVAL", "balance-rollup-interval", in: 10...3_600_000, {
            "balance rollup interval \"\($0)\" from \($1) is not 10…3600000 milliseconds"
        }) { result.balanceRollupIntervalMilliseconds = milliseconds }
        if let seconds = try integer(flags.balanceStalenessBudget, "BALANCE_STALENESS_BUDGET", "balance-staleness-budget", in: 1...86_400, {
            "balance staleness budget \"\($0)\" from \($1) is not 1…86400 seconds"
        }) { result.balanceStalenessBudgetSeconds = seconds }
        if let seconds = try integer(flags.statementCloseDelay, "STATEMENT_CLOSE_DELAY", "statement-close-delay", in: 0...2_678_400, {
            "statement close delay \"\($0)\" from \($1) is not 0…2678400 seconds"
        }) { result.statementCloseDelaySeconds = seconds }
        let smtpFrom = pick(flags.smtpFrom, "SMTP_FROM", "smtp-from")
        if let value = pick(flags.smtp, "SMTP", "smtp") {
            do {
                result.smtp = try SMTPSettings.parse(server: value.value, from: smtpFrom?.value)
            } catch {
                throw PlatformError(.configInvalid, "\(error.message) (from \(value.origin))")
            }
        } else if let smtpFrom {
            throw PlatformError(.configInvalid, "smtp-from from \(smtpFrom.origin) needs an SMTP relay (--smtp HOST:PORT)")
        }
        if let seconds = try integer(flags.statusInterval, "STATUS_INTERVAL", "status-interval", in: 1...3600, {
            "status interval \"\($0)\" from \($1) is not 1…3600 seconds"
        }) { result.statusIntervalSeconds = seconds }
        if let value = pick(flags.secretsMasterKey, "SECRETS_MASTER_KEY_FILE", "secrets-master-key") { result.secretsMasterKeyFile = value.value }
        if let seconds = try integer(flags.iamFreshnessBudget, "IAM_FRESHNESS_BUDGET", "iam-freshness-budget", in: 1...300, {
            "IAM freshness budget \"\($0)\" from \($1) is not 1…300 seconds"
        }) { result.iamFreshnessBudgetSeconds = seconds }
        switch (pick(flags.tlsCertificate, "TLS_CERT", "tls-cert"), pick(flags.tlsKey, "TLS_KEY", "tls-key")) {
        case (nil, nil): break
        case (let certificate?, let key?): result.tls = TLSFiles(certificate: certificate.value, key: key.value)
        case (let certificate?, nil):
            throw PlatformError(.configInvalid, "tls-cert from \(certificate.origin) needs its private key too (--tls-key PATH)")
        case (nil, let key?):
            throw PlatformError(.configInvalid, "tls-key from \(key.origin) needs its certificate chain too (--tls-cert PATH)")
        }
        if let value = pick(flags.sendfile, "SENDFILE", "sendfile") {
            guard ["on", "off"].contains(value.value) else {
                throw PlatformError(.configInvalid, "sendfile \"\(value.value)\" from \(value.origin) is not on or off")
            }
            result.sendfile = value.value == "on"
        }
        if let value = pick(flags.replicaID, "REPLICA_ID", "replica-id") {
            guard (1...64).contains(value.value.count),
                  value.value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
                throw PlatformError(.configInvalid, "replica id \"\(value.value)\" from \(value.origin) is not 1…64 letters, digits, '-', '_' or '.'")
            }
            result.replicaID = value.value
        }
        if let seconds = try integer(flags.instanceLease, "INSTANCE_LEASE", "instance-lease", in: 2...600, {
            "instance lease \"\($0)\" from \($1) is not 2…600 seconds"
        }) { result.instanceLeaseSeconds = seconds }
        if let value = pick(flags.blobStore, "BLOB_STORE", "blob-store") {
            guard value.value == "file" || value.value.hasPrefix("s3://") else {
                throw PlatformError(.configInvalid, "blob store \"\(value.value)\" from \(value.origin) is not file or s3://BUCKET[/PREFIX]?endpoint=URL&region=REGION")
            }
            result.blobStore = value.value == "file" ? nil : value.value
        }
        if let seconds = try integer(flags.policyFreshnessBudget, "POLICY_FRESHNESS_BUDGET", "policy-freshness-budget", in: 10...86_400, {
            "policy freshness budget \"\($0)\" from \($1) is not 10…86400 seconds"
        }) { result.policyFreshnessBudgetSeconds = seconds }
        if let seconds = try integer(flags.policyRefreshInterval, "POLICY_REFRESH_INTERVAL", "policy-refresh-interval", in: 1...3600, {
            "policy refresh interval \"\($0)\" from \($1) is not 1…3600 seconds"
        }) { result.policyRefreshIntervalSeconds = seconds }
        guard result.policyRefreshIntervalSeconds < result.policyFreshnessBudgetSeconds else {
            throw PlatformError(.configInvalid, "the policy refresh interval (\(result.policyRefreshIntervalSeconds) s) must be below the freshness budget (\(result.policyFreshnessBudgetSeconds) s), or every snapshot goes stale between refreshes")
        }
        if let value = pick(flags.externalURL, "EXTERNAL_URL", "external-url") {
            result.externalURL = try externalURL(value.value, origin: value.origin)
        }
        if let value = pick(flags.logLevel, "LOG_LEVEL", "log-level") {
            guard let level = Logger.Level(rawValue: value.value) else {
                throw PlatformError(.configInvalid, "log level \"\(value.value)\" from \(value.origin) is not one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            result.logLevel = level
        }
        if let value = pick(flags.logFormat, "LOG_FORMAT", "log-format") {
            guard let format = LogFormat(rawValue: value.value) else {
                throw PlatformError(.configInvalid, "log format \"\(value.value)\" from \(value.origin) is not json or text")
            }
            result.logFormat = format
        }
        return result
    }

    /// An external URL: `http` or `https`, a host, an optional port, no path, query or user;
    /// a trailing `/` is dropped.
    static func externalURL(_ text: String, origin: String) throws(PlatformError) -> String {
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        guard let url = URLComponents(string: trimmed), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty, url.path.isEmpty, url.query == nil, url.fragment == nil, url.user == nil,
              url.password == nil else {
            throw PlatformError(.configInvalid, "external URL \"\(text)\" from \(origin) is not http(s)://host[:port] without a path")
        }
        return trimmed
    }

    private static func loadFile(_ path: String) throws(PlatformError) -> [String: String] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw PlatformError(.configInvalid, "cannot read config file \(path): \(error.localizedDescription)")
        }
        let node: Node?
        do {
            try DocumentLimits.standard.check(yaml: text)
        } catch {
            throw error.platformError(file: path)
        }
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw PlatformError(.configInvalid, "config file \(path) is not valid YAML: \(error)")
        }
        guard let node else { return [:] }
        guard let mapping = node.mapping else {
            throw PlatformError(.configInvalid, "config file \(path) must be a mapping of keys to values")
        }
        var result: [String: String] = [:]
        for (key, value) in mapping {
            guard let name = key.string, fileKeys.contains(name) else {
                let name = key.string ?? "?"
                throw PlatformError(
                    .configInvalid,
                    "config file \(path) line \(key.mark?.line ?? 0): unknown key \"\(name)\"; known keys: \(fileKeys.joined(separator: ", "))")
            }
            guard let scalar = value.scalar else {
                throw PlatformError(.configInvalid, "config file \(path): \(name) must be a single value")
            }
            result[name] = scalar.string
        }
        return result
    }
}
