import Prometheus

/// The SLO evidence of the degradation table (README, "Degradation and its metrics"): one
/// metric per row that exists, made here so their names, help and buckets are in one place.
extension PlatformMetrics {
    /// Buckets for lookups a request waits on: a local index read takes well under a
    /// millisecond, so the low end is fine-grained; the top catches a stalled database.
    public static let lookupBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1), .seconds(5),
    ]

    /// `platform_authz_duration_seconds`: every IAM authorization (`Authorizer.authorize`),
    /// answered or failed. IAM fails closed, so its latency is every request's.
    public func recordAuthorization(_ duration: Duration) {
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                metricName: "platform_authz_duration", unitName: "seconds",
                helpText: "Time an IAM authorization (grants from the read model) took, answered or failed."),
            labels: [], buckets: Self.lookupBuckets
        ).record(duration)
    }

    /// `platform_iam_cache_lookups_total{result="hit|miss"}` (the hit ratio) and, on a hit,
    /// `platform_iam_cache_age_seconds`: how old the served key or membership entry was (never
    /// past the freshness budget).
    public func recordIAMCacheLookup(hit: Bool, age: Duration) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "platform_iam_cache_lookups", unitName: "total",
                helpText: "IAM read-model lookups (keys and memberships), served from the cache (hit) or read from the database (miss)."),
            labels: [("result", hit ? "hit" : "miss")]
        ).increment()
        guard hit else { return }
        registry.makeGauge(descriptor: MetricNameDescriptor(
            metricName: "platform_iam_cache_age", unitName: "seconds",
            helpText: "Age of the last IAM read-model entry served from the cache.")
        ).set(Double(age.components.seconds) + Double(age.components.attoseconds) / 1e18)
    }

    /// `platform_audit_write_failures_total`: audit records that could not be appended; each
    /// refused the privileged change it audited (audit fails closed).
    /// Made at start-up, so the series reads 0 before the first failure.
    public func auditWriteFailures() -> Counter {
        registry.makeCounter(descriptor: MetricNameDescriptor(
            metricName: "platform_audit_write_failures", unitName: "total",
            helpText: "Audit records that could not be written; the change each audited was refused."))
    }

    /// `platform_registry_lookup_duration_seconds{kind}`: OCI manifest (`kind="manifest"`) and
    /// blob (`kind="blob"`) lookups, from the access check to the stored location.
    public func recordRegistryLookup(_ kind: String, _ duration: Duration) {
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                metricName: "platform_registry_lookup_duration", unitName: "seconds",
                helpText: "Time an OCI manifest or blob lookup took (found or not)."),
            labels: [("kind", kind)], buckets: Self.lookupBuckets
        ).record(duration)
    }

    /// `platform_release_evidence_age_seconds{environment}`: age of the evidence bundle behind
    /// the newest release decision per environment, sampled (a stale bundle means releases
    /// are promoted on old evidence, or not at all).
    public func setReleaseEvidenceAge(environment: String, seconds: Double) {
        registry.makeGauge(descriptor: MetricNameDescriptor(
            metricName: "platform_release_evidence_age", unitName: "seconds",
            helpText: "Age of the newest release decision's evidence bundle (its newest input), per environment."),
            labels: [("environment", environment)]).set(seconds)
    }
}
