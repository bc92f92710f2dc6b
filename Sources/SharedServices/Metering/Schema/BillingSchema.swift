import PlatformStore

/// The `billing` module's tables: rated charges, the double-entry ledger (accounts, entries,
/// postings — inserted, never updated or deleted), the balance rollup, budgets and closed
/// statements.
public enum BillingSchema {
    /// Migrations of the `billing` module.
    public static let migrations = MigrationSet(module: "billing", migrations: [
        Migration(version: 1, name: "rated charges, ledger, budgets, statements", statements: [
            """
            CREATE TABLE billing_rated_charges (
                id TEXT PRIMARY KEY, kind TEXT NOT NULL, reverses TEXT,
                event_source TEXT NOT NULL, event_id TEXT NOT NULL,
                tenant_id TEXT NOT NULL, project_id TEXT NOT NULL, product TEXT NOT NULL, app TEXT, instance_id TEXT,
                unit TEXT NOT NULL, unit_version INTEGER NOT NULL, quantity BIGINT NOT NULL,
                currency TEXT NOT NULL, amount BIGINT NOT NULL, asset_scale INTEGER NOT NULL,
                price_book_version INTEGER NOT NULL, unit_price BIGINT NOT NULL, plan TEXT NOT NULL, policy_snapshot TEXT NOT NULL,
                occurred_at TEXT NOT NULL, period TEXT NOT NULL, adjustment_for TEXT,
                entry_id TEXT NOT NULL UNIQUE, rated_at TEXT NOT NULL, rated_ms BIGINT NOT NULL, recorded_ms BIGINT NOT NULL,
                UNIQUE (event_source, event_id, kind)
            )
            """,
            "CREATE INDEX billing_rated_charges_tenant ON billing_rated_charges (tenant_id, period)",
            "CREATE INDEX billing_rated_charges_project ON billing_rated_charges (project_id, period)",
            """
            CREATE TABLE ledger_accounts (
                id TEXT PRIMARY KEY, kind TEXT NOT NULL, tenant_id TEXT, product TEXT, currency TEXT NOT NULL,
                created_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE ledger_entries (
                id TEXT PRIMARY KEY, seq BIGINT NOT NULL UNIQUE, kind TEXT NOT NULL, tenant_id TEXT NOT NULL,
                reference TEXT NOT NULL, memo TEXT, posted_at TEXT NOT NULL, posted_by TEXT NOT NULL
            )
            """,
            "CREATE INDEX ledger_entries_tenant ON ledger_entries (tenant_id, seq)",
            """
            CREATE TABLE ledger_postings (
                entry_id TEXT NOT NULL, idx INTEGER NOT NULL, seq BIGINT NOT NULL, account_id TEXT NOT NULL,
                currency TEXT NOT NULL, amount BIGINT NOT NULL,
                PRIMARY KEY (entry_id, idx)
            )
            """,
            "CREATE INDEX ledger_postings_account ON ledger_postings (account_id, seq)",
            """
            CREATE TABLE ledger_balances (
                account_id TEXT NOT NULL, currency TEXT NOT NULL, debits BIGINT NOT NULL, credits BIGINT NOT NULL,
                PRIMARY KEY (account_id, currency)
            )
            """,
            """
            CREATE TABLE ledger_rollup_state (
                id INTEGER PRIMARY KEY, through_seq BIGINT NOT NULL, as_of TEXT NOT NULL, as_of_ms BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE billing_budgets (
                scope TEXT NOT NULL, target TEXT NOT NULL, tenant_id TEXT NOT NULL, currency TEXT NOT NULL,
                limit_amount BIGINT NOT NULL, asset_scale INTEGER NOT NULL, thresholds TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
                PRIMARY KEY (scope, target)
            )
            """,
            "CREATE INDEX billing_budgets_tenant ON billing_budgets (tenant_id)",
            """
            CREATE TABLE billing_budget_crossings (
                scope TEXT NOT NULL, target TEXT NOT NULL, period TEXT NOT NULL, threshold INTEGER NOT NULL,
                crossed_at TEXT NOT NULL, crossed_ms BIGINT NOT NULL,
                PRIMARY KEY (scope, target, period, threshold)
            )
            """,
            """
            CREATE TABLE billing_statements (
                tenant_id TEXT NOT NULL, period TEXT NOT NULL, closed_at TEXT NOT NULL, closed_by TEXT NOT NULL,
                document TEXT NOT NULL, digest TEXT NOT NULL,
                PRIMARY KEY (tenant_id, period)
            )
            """,
        ]),
    ])
}
