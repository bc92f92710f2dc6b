import AppPlatform
import ArtifactRegistry
import AuditService
import EvidenceService
import Foundation
import IAMService
import Logging
import MeteringService
import NotificationService
import PlatformContracts
import PlatformHTTP
import PlatformStore
import PolicyService
import Prometheus
import RegistryService
import RuntimeKit
import SecretsService
import StatusService
import TransparencyLog

/// The shared services and the product modules, built over one store. Product modules get
/// the shared services through their contracts; this is the one place that names the
/// implementations.
struct PlatformServices: Sendable {
    let audit: AuditLog
    let identity: IAMDirectory
    /// The IAM authorizer's cache, kept told of other replicas' writes by an `IAMChangeListener`.
    let iamReadModel: IAMReadModel
    let catalog: AppCatalog
    let signingKeys: SigningKeyStore
    let ledger: TrustLedger
    let registry: OCIRegistry
    let collector: RegistryGarbageCollector
    let usage: UsageEventLog
    let instances: InstanceService
    let connect: ConnectService
    let connectMetrics: ConnectMetrics
    let inventory: GPUInventory
    let registrySet: RegistrySet
    let sshAuthority: SSHCertificateAuthority
    /// Delivers every asynchronous effect written to the outbox (one `Service`).
    let outbox: OutboxDispatcher
    /// Policy snapshots: quotas, flags and access per plan, tenant, department and project
    /// (`PolicyEvaluator` and `PolicyAdministration`; kept fresh by a `PolicyRefresher`).
    let policy: PolicyService
    /// Notification feed, webhooks, email and preferences (`NotificationInbox`); its
    /// `feedSignal` wakes the SSE stream when a fan-out commits.
    let notifications: NotificationService
    /// Refreshes the outbox gauges (a `Service`).
    let outboxMonitor: OutboxMonitor
    /// Rating, the double-entry ledger, balances, budgets and statements (`BillingLedger`,
    /// `SpendGuard`); usage comes in through `usage` (`UsageRecorder`).
    let billing: BillingService
    /// Rates queued usage into charges and ledger entries (a `Service`), woken by `usage`'s
    /// ingests and every `--rating-interval`; its ``RatingWorker/health`` feeds `/readyz`.
    let rating: RatingWorker
    /// Folds new ledger postings into the balances every `--balance-rollup-interval` (a
    /// `Service`), reporting `platform_billing_balance_rollup_age_seconds`.
    let balanceRollup: BalanceRollup
    /// Validates evidence content against the evidence-type registry's schemas (`EvidenceValidating`).
    let evidenceValidator: EvidenceValidator
    /// Release candidates, bundles, approvals, gates and signed decisions (`ReleaseManagement`, `ReleaseDecisions`).
    let releases: ReleaseService
    /// Components, incidents and maintenance windows (`StatusBoard`, `MaintenanceCalendar`).
    let status: StatusBoardService
    /// Runtime secret custody (`SecretCustody`): the secrets API and delivery into instances.
    var secrets: SecretStore?
}

extension PlatformServer {
    /// Bootstrap step 3: shared services (audit, IAM, signing keys, usage), then the product
    /// modules over them (catalog, trust ledger, OCI registry, instances, connect). Builds
    /// only; the loops among them run as services of the application.
    static func makeServices(
        store: SQLStore, files: HostFiles, host: HostRuntime, instanceSettings: InstanceService.Settings,
        configuration: ServerConfiguration, metrics: PlatformMetrics, logger: Logger
    ) async throws -> PlatformServices {
        let registrySet = files.registrySet
        var audit = AuditLog(
            store: store, actions: registrySet.auditActions, signer: files.auditSigner,
            origin: "platformd/audit/\(files.auditSigner.verifierKey.split(separator: "+")[1])")
        let auditWriteFailures = metrics.auditWriteFailures()
        audit.onWriteFailure = { auditWriteFailures.increment() }
        let policy = makePolicy(store: store, audit: audit, registrySet: registrySet, configuration: configuration, metrics: metrics,
                                logger: logger)
        // On SQLite every IAM writer is this process, so its invalidations are all there is;
        // on PostgreSQL the cache serves only while IAMChangeListener listens.
        let iamReadModel = IAMReadModel(
            budget: .seconds(configuration.iamFreshnessBudgetSeconds), listening: store.backend == .sqlite,
            onLookup: { metrics.recordIAMCacheLookup(hit: $0, age: $1) })
        let identity = IAMDirectory(store: store, scopes: registrySet.scopes, audit: audit, readModel: iamReadModel,
                                    onAuthorize: { metrics.recordAuthorization($0) })
        let evidenceValidator = EvidenceValidator(types: registrySet.evidenceTypes, schemas: registrySet.evidenceSchemas)
        var status = StatusBoardService(store: store, audit: audit, policy: policy, logger: logger)
        status.components = statusComponents(adapters: host.adapters, slurm: configuration.slurmConf != nil, database: store.backend)
        status.version = PlatformVersion.version
        let catalog = AppCatalog(
            store: store, audit: audit, validator: files.manifestValidator, registryVersions: registrySet.versions)
        let signingKeys = SigningKeyStore(store: store, audit: audit)
        var releases = ReleaseService(
            store: store, blobs: files.blobs, keys: signingKeys, identity: identity, audit: audit, validator: evidenceValidator,
            policy: policy, platformSigner: files.platformEvidenceKey, logger: logger)
        let ledger = TrustLedger(
            store: store, blobs: files.blobs, keys: signingKeys, identity: identity, audit: audit, types: registrySet.artifactTypes,
            evidencePredicates: registrySet.evidencePredicates, outbox: OutboxWriter(), policy: policy, releases: releases,
            validator: evidenceValidator)
        // The release gates read effective trust from the ledger, which asks releases for decisions.
        releases.artifactTrust = ledger
        let registry = OCIRegistry(store: store, blobs: files.blobs, uploads: files.uploads, identity: identity, audit: audit, ledger: ledger, policy: policy)
        let ratingSignal = RatingSignal()
        let usage = UsageEventLog(store: store, units: registrySet.usageUnits, lateWindow: .seconds(configuration.usageLateWindowSeconds),
                                  onIngest: { ratingSignal.signal() })
        let phaseGauges = Dictionary(uniqueKeysWithValues: InstancePhase.names.map { phase in
            (phase, metrics.registry.makeGauge(
                descriptor: MetricNameDescriptor(metricName: "platform_instances", unitName: "",
                                                 helpText: "Instances this server supervises, by phase."),
                labels: [("phase", phase)]))
        })
        // Budgets gate admission and stop running instances (SpendGuard), so billing is built first.
        let billing = makeBilling(store: store, policy: policy, audit: audit, registrySet: registrySet, configuration: configuration,
                                  logger: logger)
        let secrets = makeSecrets(store: store, audit: audit, files: files, logger: logger)
        let instances = InstanceService(
            store: store, identity: identity, audit: audit, catalog: catalog, validator: files.manifestValidator, registry: registry,
            ledger: ledger, adapters: host.adapters, usage: usage, policy: policy, spend: billing, settings: instanceSettings, logger: logger,
            onPhaseCounts: { counts in for (phase, count) in counts { phaseGauges[phase]?.set(Double(count)) } },
            outbox: OutboxWriter(), maintenance: status, secrets: secrets)
        let connectMetrics = ConnectMetrics(metrics)
        var connectObservers = ConnectService.Observers()
        connectObservers.activeSessions = { connectMetrics.setActiveSessions($0) }
        var connectSettings = ConnectService.Settings()
        connectSettings.maximumTTLSeconds = configuration.connectMaxTTLSeconds
        connectSettings.freshnessBudget = .seconds(configuration.iamFreshnessBudgetSeconds)
        let connect = await ConnectService(
            store: store, identity: identity, audit: audit, instances: instances, authority: files.sshAuthority,
            settings: connectSettings, observers: connectObservers, logger: logger)
        let templates = try NotificationTemplateCatalog(registryJSON: registrySet.documents["notification-template"] ?? [])
        let notificationsBase = NotificationService(
            store: store, catalog: templates, audit: audit, smtp: configuration.smtp, logger: logger)
        let outbox = OutboxDispatcher(
            store: store, consumers: outboxConsumers(notifications: notificationsBase), owner: "platformd/\(ULID())",
            backoff: OutboxBackoff(base: .milliseconds(configuration.outboxRetryBaseMilliseconds),
                                   maxAttempts: configuration.outboxMaxAttempts),
            pollInterval: .milliseconds(configuration.outboxPollIntervalMilliseconds), logger: logger)
        status.releases = releases  // the operator view's release readiness per environment
        var services = PlatformServices(
            audit: audit, identity: identity, iamReadModel: iamReadModel, catalog: catalog, signingKeys: signingKeys, ledger: ledger, registry: registry,
            collector: RegistryGarbageCollector(registry: registry, logger: logger), usage: usage, instances: instances,
            connect: connect, connectMetrics: connectMetrics, inventory: host.inventory, registrySet: registrySet,
            sshAuthority: files.sshAuthority, outbox: outbox, policy: policy,
            notifications: notificationsBase.retryingDeadLetters { try await outbox.retry(deadLetter: $0) },
            outboxMonitor: makeOutboxMonitor(outbox, metrics: metrics, logger: logger),
            billing: billing,
            rating: makeRatingWorker(store: store, policy: policy, units: registrySet.usageUnits, signal: ratingSignal,
                                     configuration: configuration, metrics: metrics, logger: logger),
            balanceRollup: makeBalanceRollup(store: store, configuration: configuration, metrics: metrics, logger: logger),
            evidenceValidator: evidenceValidator, releases: releases, status: status)
        services.secrets = secrets
        return services
    }

    /// The billing service (ledger reads, credits, budgets, statements) over the policy
    /// snapshots (price book, plans) and the audit log, with the usage-unit registry.
    static func makeBilling(store: SQLStore, policy: PolicyService, audit: AuditLog, registrySet: RegistrySet,
                            configuration: ServerConfiguration, logger: Logger)
        -> BillingService
    {
        var billing = BillingService(store: store, policy: policy, audit: audit, logger: logger)
        billing.units = registrySet.usageUnits
        billing.balanceStalenessBudget = .seconds(configuration.balanceStalenessBudgetSeconds)
        return billing
    }

    /// The rating worker, reporting `platform_usage_unrated_events` (events waiting after each
    /// pass) and `platform_usage_rating_lag_seconds` (recorded → rated, per event).
    static func makeRatingWorker(store: SQLStore, policy: PolicyService, units: UsageUnitRegistry, signal: RatingSignal,
                                 configuration: ServerConfiguration, metrics: PlatformMetrics, logger: Logger) -> RatingWorker {
        let unrated = metrics.registry.makeGauge(descriptor: MetricNameDescriptor(
            metricName: "platform_usage_unrated_events", unitName: "",
            helpText: "Usage events stored and waiting to be rated (buffered durably; rated once a price and the ledger writer allow)."),
            labels: [])
        let lag = metrics.registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(metricName: "platform_usage_rating_lag", unitName: "seconds",
                                             helpText: "Time from a usage event's recording to its rating and posting."),
            buckets: [.milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                      .seconds(2), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(300)])
        var observers = RatingWorker.Observers()
        observers.rated = { lag.record($0) }
        observers.unrated = { unrated.set(Double($0)) }
        return RatingWorker(store: store, policy: policy, units: units, signal: signal,
                            interval: .milliseconds(configuration.ratingIntervalMilliseconds), observers: observers, logger: logger)
    }

    /// The balance rollup, reporting its age (time since it last confirmed the balances were
    /// current) to `platform_billing_balance_rollup_age_seconds` after every pass: a stalled
    /// rollup shows as a growing age, as balance reads show it as `stale`.
    static func makeBalanceRollup(store: SQLStore, configuration: ServerConfiguration, metrics: PlatformMetrics, logger: Logger)
        -> BalanceRollup
    {
        let age = metrics.registry.makeGauge(descriptor: MetricNameDescriptor(
            metricName: "platform_billing_balance_rollup_age_seconds", unitName: "",
            helpText: "Time since the balance rollup last folded the ledger's postings into the balances balance reads use."), labels: [])
        return BalanceRollup(store: store, interval: .milliseconds(configuration.balanceRollupIntervalMilliseconds), logger: logger) {
            age.set(Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18)
        }
    }

    /// The outbox gauges (pending, oldest pending age, delivery failures, dead letters), set by
    /// a monitor that reads ``OutboxDispatcher/counts()`` every 5 s.
    static func makeOutboxMonitor(_ outbox: OutboxDispatcher, metrics: PlatformMetrics, logger: Logger) -> OutboxMonitor {
        func gauge(_ name: String, _ help: String) -> Gauge {
            metrics.registry.makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: [])
        }
        let pending = gauge("platform_outbox_pending", "Outbox intents waiting for delivery.")
        let oldest = gauge("platform_outbox_oldest_pending_seconds", "Age of the oldest pending outbox intent, in seconds.")
        let failures = gauge("platform_outbox_delivery_failures", "Failed delivery attempts recorded on the outbox's intents.")
        let dead = gauge("platform_outbox_dead_letters", "Dead-lettered outbox intents waiting for an operator's retry.")
        return OutboxMonitor(counts: { try await outbox.counts() }, logger: logger) { counts in
            pending.set(Double(counts.pending))
            oldest.set(Double((counts.oldestPendingAge ?? .zero).wholeMilliseconds) / 1000)
            failures.set(Double(counts.failures))
            dead.set(Double(counts.dead))
        }
    }

    /// The policy service over the registry's policies, with `--quota-plan` as the default plan
    /// and the configured freshness budget; it reports the snapshot's age to
    /// `platform_policy_snapshot_age_seconds` and each stale refusal to
    /// `platform_policy_stale_rejects_total{write}`.
    static func makePolicy(store: SQLStore, audit: AuditLog, registrySet: RegistrySet, configuration: ServerConfiguration,
                           metrics: PlatformMetrics, logger: Logger) -> PolicyService {
        let age = metrics.registry.makeGauge(descriptor: MetricNameDescriptor(
            metricName: "platform_policy_snapshot_age_seconds", unitName: "",
            helpText: "Time since this replica last confirmed its policy snapshot is the newest."), labels: [])
        let rejects = Dictionary(uniqueKeysWithValues: PolicyWrite.allCases.map { write in
            (write, metrics.registry.makeCounter(descriptor: MetricNameDescriptor(
                metricName: "platform_policy_stale_rejects", unitName: "total",
                helpText: "Writes refused with policy.stale because the policy snapshot was past its freshness budget."),
                labels: [("write", write.rawValue)]))
        })
        var observers = PolicyService.Observers()
        observers.snapshotAge = { age.set(Double($0.wholeMilliseconds) / 1000) }
        observers.staleReject = { rejects[$0]?.increment() }
        return PolicyService(
            store: store, audit: audit, registry: registrySet.policies, defaultPlan: configuration.quotaPlan,
            priceBook: registrySet.priceBook, settings: .init(freshnessBudget: .seconds(configuration.policyFreshnessBudgetSeconds)), observers: observers,
            logger: logger)
    }

    /// The consumer of each outbox topic. Every asynchronous effect goes through the outbox;
    /// a topic with no consumer here is retried and then dead-lettered, never dropped.
    static func outboxConsumers(notifications: NotificationService) -> [String: any OutboxConsumer] {
        notifications.consumers()
    }

    /// The instance supervisor's settings from the configuration: metering interval, poll
    /// interval and the SSH user CA (quotas come from the policy service, per project).
    /// - Throws: ``ErrorCode/configInvalid`` when the quota plan is not in the policy registry.
    static func makeInstanceSettings(_ configuration: ServerConfiguration, files: HostFiles) throws(PlatformError)
        -> InstanceService.Settings
    {
        var settings = InstanceService.Settings()
        settings.meteringIntervalMs = Int64(configuration.meteringIntervalSeconds) * 1000
        settings.pollInterval = .milliseconds(configuration.pollIntervalMilliseconds)
        try checkQuotaPlan(configuration.quotaPlan, registries: files.registrySet)
        settings.sshUserCA = files.sshAuthority.publicKeyLine
        settings.usageUnits = files.registrySet.usageUnits
        if let replica = configuration.replicaID { settings.replica = replica }
        settings.leaseDuration = .seconds(configuration.instanceLeaseSeconds)
        return settings
    }

    /// Refuses a `--quota-plan` the policy registry does not have: it is the plan of every
    /// tenant with none assigned, so a misspelt one must stop the start, not admit nothing.
    /// - Throws: ``ErrorCode/configInvalid``.
    static func checkQuotaPlan(_ plan: String, registries: RegistrySet) throws(PlatformError) {
        let policies = registries.policies
        guard policies.plansByID[plan] == nil else { return }
        throw PlatformError(.configInvalid, "quota plan \(plan) is not in policies.yaml (\(policies.plans.map(\.planId).joined(separator: ", ")))")
    }
}
