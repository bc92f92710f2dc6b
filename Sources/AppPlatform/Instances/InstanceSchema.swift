import PlatformStore

/// The instances' tables: one row per instance (phase, persisted adapter handle, metering
/// progress) and its ordered phase events.
public enum InstanceSchema {
    /// Migrations of the `instances` module.
    public static let migrations = MigrationSet(module: "instances", migrations: [
        Migration(version: 1, name: "create instances and their events", statements: [
            """
            CREATE TABLE apps_instances (
                id TEXT PRIMARY KEY, project_id TEXT NOT NULL, tenant_id TEXT NOT NULL,
                app TEXT NOT NULL, version TEXT NOT NULL, adapter TEXT NOT NULL, environment TEXT NOT NULL, mode TEXT NOT NULL,
                phase TEXT NOT NULL, reason TEXT, message TEXT,
                image TEXT NOT NULL, spec TEXT NOT NULL, handle TEXT, readiness TEXT,
                node TEXT, host TEXT, gpus TEXT NOT NULL, gpu_count INTEGER NOT NULL, endpoints TEXT NOT NULL,
                launched_by TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
                running_since_ms BIGINT, finished_at_ms BIGINT, ready_deadline_ms BIGINT,
                metered_through INTEGER NOT NULL, stop_requested INTEGER NOT NULL, deleted INTEGER NOT NULL
            )
            """,
            "CREATE INDEX apps_instances_project ON apps_instances (project_id, created_at)",
            "CREATE INDEX apps_instances_phase ON apps_instances (phase)",
            """
            CREATE TABLE apps_instance_events (
                instance_id TEXT NOT NULL, seq INTEGER NOT NULL, phase TEXT NOT NULL, reason TEXT, message TEXT,
                at TEXT NOT NULL, PRIMARY KEY (instance_id, seq)
            )
            """,
        ]),
        // Why a stop was requested, as a field: the health-timeout end used to be read back out
        // of the message text. Existing stops are backfilled from what they wrote.
        Migration(version: 2, name: "stop cause of instances", statements: [
            "ALTER TABLE apps_instances ADD COLUMN stop_cause TEXT",
            "UPDATE apps_instances SET stop_cause = 'health-timeout' WHERE stop_requested = 1 AND message LIKE 'not ready by its deadline%'",
            "UPDATE apps_instances SET stop_cause = 'requested' WHERE stop_requested = 1 AND stop_cause IS NULL",
        ]),
        // The policy snapshot an instance was admitted under: a long-lived resource keeps the
        // snapshot it was created with (instances from before policy snapshots have none).
        Migration(version: 3, name: "policy snapshot of instances", statements: [
            "ALTER TABLE apps_instances ADD COLUMN policy_snapshot TEXT",
        ]),
        // The usage units an instance is metered in (InstanceMetering, JSON), decided at
        // admission from the manifest's billing.usageUnit and the placed GPU model; NULL for
        // instances from before, metered in the defaults.
        Migration(version: 4, name: "metering units of instances", statements: [
            "ALTER TABLE apps_instances ADD COLUMN metering TEXT",
        ]),
        // Why a running instance is flagged as running an artifact no longer trusted for its
        // environment (quarantined, revoked, demoted), when policy flags rather than stops it.
        Migration(version: 5, name: "trust flag of instances", statements: [
            "ALTER TABLE apps_instances ADD COLUMN trust_flag TEXT",
        ]),
        // The launch's request id, carried by every later lifecycle audit record as
        // details.correlationId (the audit read model's `correlation` filter).
        Migration(version: 6, name: "launch request id of instances", statements: [
            "ALTER TABLE apps_instances ADD COLUMN launch_request_id TEXT",
        ]),
        // Restarts (restartPolicy): the lifecycle decided at admission (restart policy, crash-loop
        // limit, backoff cap, startup and liveness probes; JSON, NULL for older instances: never
        // restarted, no probes), how often it was restarted, its last exit status and when a
        // scheduled restart is due (the supervisor's poll acts on it; no timer of its own).
        Migration(version: 7, name: "restarts of instances", statements: [
            "ALTER TABLE apps_instances ADD COLUMN lifecycle TEXT",
            "ALTER TABLE apps_instances ADD COLUMN restart_count INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE apps_instances ADD COLUMN last_exit_code INTEGER",
            "ALTER TABLE apps_instances ADD COLUMN restart_due_ms BIGINT",
        ]),
        // Replicas (InstanceLease): which replica supervises each instance, its fencing token
        // (raised by every claim) and until when the holder's lease runs (epoch ms); a stop
        // asked of another replica, kept until the holder acts on it (JSON InstanceStopRequest);
        // the last connect activity any replica saw (epoch ms), for the holder's idle stop.
        // The endpoint ports of live instances, one row each, so two replicas never hand out
        // the same port: the primary key refuses the second. The GPU devices instances hold
        // (GPUDeviceClaimTable), so two replicas never hand out one device twice.
        Migration(version: 8, name: "supervisor leases, ports and GPU claims of instances", statements: [
            "ALTER TABLE apps_instances ADD COLUMN supervisor TEXT",
            "ALTER TABLE apps_instances ADD COLUMN lease_fence BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE apps_instances ADD COLUMN lease_expires_ms BIGINT",
            "ALTER TABLE apps_instances ADD COLUMN stop_request TEXT",
            "ALTER TABLE apps_instances ADD COLUMN connect_activity_ms BIGINT",
            "CREATE TABLE apps_instance_ports (port INTEGER PRIMARY KEY, instance_id TEXT NOT NULL)",
            "CREATE INDEX apps_instance_ports_instance ON apps_instance_ports (instance_id)",
            """
            CREATE TABLE apps_gpu_claims (
                node TEXT NOT NULL, device TEXT NOT NULL, instance_id TEXT NOT NULL, sharing TEXT NOT NULL,
                PRIMARY KEY (node, device, instance_id)
            )
            """,
            "CREATE INDEX apps_gpu_claims_instance ON apps_gpu_claims (instance_id)",
        ]),
    ])
}
