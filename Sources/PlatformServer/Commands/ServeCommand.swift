import ArgumentParser
import Foundation
import Logging
import Metrics
import PlatformContracts
import PlatformHTTP

/// `platformd serve`: runs the server until SIGTERM or SIGINT.
public struct ServeCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the server until SIGTERM or SIGINT.",
        discussion: """
            Every option can also come from the environment (PLATFORMD_ and the flag's name in \
            capitals, - as _: PLATFORMD_DATA_DIR, PLATFORMD_LISTEN, PLATFORMD_DATABASE_URL, \
            PLATFORMD_RESOURCES, PLATFORMD_LOG_LEVEL, …) or from a YAML config file (--config or \
            PLATFORMD_CONFIG) with the keys data-dir, listen, database-url, log-level, log-format, \
            resources, registry-dir, nvidia-smi, gpu-inventory, slurm-conf, slurm-partition, \
            quota-plan, policy-freshness-budget, policy-refresh-interval, metering-interval, poll-interval, connect-max-ttl, \
            request-head-timeout, idle-timeout, external-url, outbox-poll-interval, \
            outbox-retry-base, outbox-max-attempts, key-expiry-scan-interval, usage-late-window, rating-interval, \
            storage-sample-interval, balance-rollup-interval, balance-staleness-budget, statement-close-delay, status-interval, smtp and \
            smtp-from. Flags win over the environment, \
            which wins over the file.

            Data files: the registries (manifests/platform/), the manifest schema \
            (manifests/schema/), the portal (portal/) and the slurm job template \
            (runtime-adapters/slurm/job.sbatch.tmpl) are read from one folder laid out like the \
            repository: --resources, by default the working directory (run platformd from the \
            checkout, or copy those paths to, say, /usr/share/platformd and pass \
            --resources /usr/share/platformd). --registry-dir overrides the registries alone.

            Exit codes: 0 stopped by signal, 65 database schema newer than this build, \
            69 database unavailable at start-up (SQLite), 78 invalid configuration.
            """
    )

    @Option(name: .long, help: ArgumentHelp("Folder for the SQLite database and blobs.", valueName: "dir"))
    var dataDir: String?

    @Option(name: .long, help: ArgumentHelp("Address to listen on (default 127.0.0.1:8080).", valueName: "host:port"))
    var listen: String?

    @Option(name: .long, help: ArgumentHelp("postgres://user:pass@host:port/db, or sqlite:/path (default: SQLite in the data dir).", valueName: "url"))
    var databaseURL: String?

    @Option(name: .long, help: ArgumentHelp(
        "Where blobs live: file (default: blobs/ in the data dir) or s3://BUCKET[/PREFIX]?endpoint=URL&region=R[&redirect=SECONDS][&part-size=MIB]; the S3 keys come from PLATFORMD_S3_ACCESS_KEY_ID and PLATFORMD_S3_SECRET_ACCESS_KEY.",
        valueName: "url"))
    var blobStore: String?

    @Option(name: .long, help: ArgumentHelp(
        "Seconds an IAM read-model entry (key, memberships) may be served from memory; writes invalidate at once (default 5, 1…300).",
        valueName: "seconds"))
    var iamFreshnessBudget: String?

    @Option(name: .customLong("tls-cert"), help: ArgumentHelp(
        "Serve HTTPS with this PEM certificate chain (leaf first); read again when it changes, no restart. Needs --tls-key.",
        valueName: "path"))
    var tlsCertificate: String?

    @Option(name: .long, help: ArgumentHelp(
        "on (default): blob GETs from local files are sent with sendfile(2) on a plain-HTTP listener; off: read through the response.",
        valueName: "on|off"))
    var sendfile: String?

    @Option(name: .customLong("replica-id"), help: ArgumentHelp(
        "This replica's name in its instances' supervisor leases (default: the host name); replicas sharing a database need distinct ids.",
        valueName: "id"))
    var replicaID: String?

    @Option(name: .long, help: ArgumentHelp(
        "Seconds an instance's supervisor lease runs unrenewed before another replica takes the instance over (default 10, 2…600).",
        valueName: "seconds"))
    var instanceLease: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("The PEM private key of --tls-cert.", valueName: "path"))
    var tlsKey: String?

    @Option(name: .long, help: ArgumentHelp("Folder of the data files: registries, schema, portal, slurm template (default: the working directory).", valueName: "dir"))
    var resources: String?

    @Option(name: .long, help: ArgumentHelp("Folder of the registry files (default: manifests/platform under --resources).", valueName: "dir"))
    var registryDir: String?

    @Option(name: .long, help: ArgumentHelp("The nvidia-smi to discover GPUs with (default: the one on PATH; none means no GPUs).", valueName: "path"))
    var nvidiaSmi: String?

    @Option(name: .long, help: ArgumentHelp("A YAML/JSON file declaring this host's GPUs instead of running nvidia-smi.", valueName: "file"))
    var gpuInventory: String?

    @Option(name: .long, help: ArgumentHelp("slurm.conf of the cluster for the slurm adapter (default: no slurm adapter).", valueName: "path"))
    var slurmConf: String?

    @Option(name: .long, help: ArgumentHelp("Partition for slurm launches whose manifest names none.", valueName: "name"))
    var slurmPartition: String?

    @Option(name: .long, help: ArgumentHelp("Plan from policies.yaml for tenants with none assigned (default plan.standard).", valueName: "plan"))
    var quotaPlan: String?

    @Option(name: .long, help: ArgumentHelp("Seconds per usage-metering interval: the billing granularity (shorter: finer usage, more metering rows); ≥ 1, default 60.", valueName: "seconds"))
    var meteringInterval: String?

    @Option(name: .long, help: ArgumentHelp("Milliseconds between the supervisor's looks at live instances: lower notices exits, readiness and idle stops sooner for more adapter (runc, Slurm) calls; 10…60000, default 250.", valueName: "ms"))
    var pollInterval: String?

    @Option(name: .long, help: ArgumentHelp("Longest connect-session lifetime the policy allows, in seconds (default 900).", valueName: "seconds"))
    var connectMaxTtl: String?

    @Option(name: .long, help: ArgumentHelp("Seconds a client has to send a complete request head (default 10).", valueName: "seconds"))
    var requestHeadTimeout: String?

    @Option(name: .long, help: ArgumentHelp("Seconds before an idle kept-alive connection is closed (default 60).", valueName: "seconds"))
    var idleTimeout: String?

    @Option(name: .long, help: ArgumentHelp("URL clients reach this server at, for the registry's auth realm (default http://<listen>).", valueName: "url"))
    var externalUrl: String?

    @Option(name: .long, help: ArgumentHelp("Milliseconds the outbox dispatcher waits after a poll that found nothing due (default 1000).", valueName: "ms"))
    var outboxPollInterval: String?

    @Option(name: .long, help: ArgumentHelp("Milliseconds before the outbox's first retry of a failed delivery, doubling after each (default 1000).", valueName: "ms"))
    var outboxRetryBase: String?

    @Option(name: .long, help: ArgumentHelp("Delivery attempts before an outbox intent is dead-lettered (default 8).", valueName: "count"))
    var outboxMaxAttempts: String?

    @Option(name: .long, help: ArgumentHelp("Seconds between scans for API keys expiring within 7 days or 1 day (default 3600).", valueName: "seconds"))
    var keyExpiryScanInterval: String?

    @Option(name: .long, help: ArgumentHelp("Seconds after which a usage event is refused as too late (usage.too_late); later ones inside it are rated as adjustments. Default 259200 (72 h).", valueName: "seconds"))
    var usageLateWindow: String?

    @Option(name: .long, help: ArgumentHelp("Milliseconds the rating worker waits between passes when no ingest wakes it (default 1000).", valueName: "ms"))
    var ratingInterval: String?

    @Option(name: .long, help: ArgumentHelp("Seconds per registry storage sample: each project's stored bytes are metered once per interval (default 3600).", valueName: "seconds"))
    var storageSampleInterval: String?

    @Option(name: .long, help: ArgumentHelp("Milliseconds between balance rollup passes, which fold new ledger postings into the balances reads use (default 5000).", valueName: "ms"))
    var balanceRollupInterval: String?

    @Option(name: .long, help: ArgumentHelp("Seconds the balance rollup may age before balance reads are stamped stale (default 60).", valueName: "seconds"))
    var balanceStalenessBudget: String?

    @Option(name: .long, help: ArgumentHelp("Seconds after a month ends before its statements close on their own (default 3600).", valueName: "seconds"))
    var statementCloseDelay: String?

    @Option(name: .long, help: ArgumentHelp("SMTP relay for email notices, as HOST:PORT (plain SMTP; without it no email is sent).", valueName: "host:port"))
    var smtp: String?

    @Option(name: .long, help: ArgumentHelp("Sender address of email notices (default platformd@localhost; needs --smtp).", valueName: "address"))
    var smtpFrom: String?

    @Option(name: .long, help: ArgumentHelp("Seconds a policy snapshot may go unconfirmed before capacity, authority and financial writes fail with policy.stale; 10…86400, default 300.", valueName: "seconds"))
    var policyFreshnessBudget: String?

    @Option(name: .long, help: ArgumentHelp("Seconds between policy snapshot refreshes; 1…3600 and below the freshness budget, default 15.", valueName: "seconds"))
    var policyRefreshInterval: String?

    @Option(name: .long, help: ArgumentHelp("Seconds between status monitor passes (component conditions from the readiness checks); 1…3600, default 15.", valueName: "seconds"))
    var statusInterval: String?

    @Option(name: .long, help: ArgumentHelp("The secrets master keyring: base64 keys, one per line, primary first (default: secrets-master.key in the data directory, created 0600 on first start; PLATFORMD_SECRETS_MASTER_KEY overrides).", valueName: "file"))
    var secretsMasterKey: String?

    @Option(name: .long, help: ArgumentHelp("A YAML config file.", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel: String?

    @Option(name: .long, help: ArgumentHelp("json (default) or text.", valueName: "format"))
    var logFormat: String?

    /// Creates the command.
    public init() {}

    /// Resolves configuration, bootstraps logging and metrics, and serves.
    public func run() async throws {
        let configuration: ServerConfiguration
        do {
            var flags = ServerConfiguration.Overrides(dataDirectory: dataDir, listen: listen, databaseURL: databaseURL,
                             logLevel: logLevel, logFormat: logFormat, configFile: config,
                             registryDirectory: registryDir, nvidiaSMI: nvidiaSmi, slurmConf: slurmConf,
                             slurmPartition: slurmPartition, quotaPlan: quotaPlan, meteringInterval: meteringInterval,
                             pollInterval: pollInterval, gpuInventory: gpuInventory, connectMaxTTL: connectMaxTtl,
                             requestHeadTimeout: requestHeadTimeout, idleTimeout: idleTimeout,
                             externalURL: externalUrl, resources: resources,
                             policyFreshnessBudget: policyFreshnessBudget, policyRefreshInterval: policyRefreshInterval, outboxPollInterval: outboxPollInterval,
                             outboxRetryBase: outboxRetryBase, outboxMaxAttempts: outboxMaxAttempts,
                             keyExpiryScanInterval: keyExpiryScanInterval,
                             usageLateWindow: usageLateWindow, ratingInterval: ratingInterval, storageSampleInterval: storageSampleInterval,
                             balanceRollupInterval: balanceRollupInterval, balanceStalenessBudget: balanceStalenessBudget,
                             statementCloseDelay: statementCloseDelay, smtp: smtp, smtpFrom: smtpFrom)
            flags.statusInterval = statusInterval
            flags.secretsMasterKey = secretsMasterKey
            flags.blobStore = blobStore
            flags.iamFreshnessBudget = iamFreshnessBudget
            flags.tlsCertificate = tlsCertificate
            flags.tlsKey = tlsKey
            flags.sendfile = sendfile
            flags.replicaID = replicaID
            flags.instanceLease = instanceLease
            configuration = try ServerConfiguration.resolve(flags: flags, environment: ProcessInfo.processInfo.environment)
        } catch {
            FileHandle.standardError.write(Data("platformd: \(error.message)\n".utf8))
            throw ExitCode(78)
        }
        let level = configuration.logLevel
        switch configuration.logFormat {
        case .json:
            LoggingSystem.bootstrap { label in
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardOutput(label: label)
                handler.logLevel = level
                return handler
            }
        }
        let logger = Logger(label: "platformd")
        do {
            let server = try await PlatformServer.bootstrap(configuration, logger: logger)
            MetricsSystem.bootstrap(server.metrics.factory)
            try await server.run()
        } catch let error as PlatformError {
            logger.critical("platformd cannot start", metadata: ["code": "\(error.code)", "error": "\(error.message)"])
            FileHandle.standardError.write(Data("platformd: \(error.message)\n".utf8))
            throw ExitCode(Self.exitCode(for: error.code))
        }
    }

    static func exitCode(for code: ErrorCode) -> Int32 {
        switch code {
        case .storeSchemaTooNew: 65
        case .storeUnavailable: 69
        case .configInvalid, .storeInvalidURL: 78
        default: 1
        }
    }
}
