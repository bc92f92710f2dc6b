import Testing

/// The test tiers, as Swift Testing tags: the one place a suite says which tier it is in.
///
/// - Untagged: the fast tier and everything else that runs in-process (SQLite, the
///   in-memory runtime twin, a `ManualClock`); `scripts/test.sh` runs these first, in
///   parallel.
/// - ``Tag/integration``: suites that start real processes (platformd, runc, a Slurm
///   cluster, PostgreSQL, skopeo, ssh, Chromium) or assert on wall-clock timing. They
///   starve each other when run beside everything else on a 2-core machine, so
///   `scripts/test.sh` runs them after the rest, one at a time (`--no-parallel`).
///
/// `swift test` in this toolchain cannot filter by tag (`--filter tag:…` matches nothing),
/// so `scripts/test.sh` reads the tags from `swift test list`'s event stream and turns the
/// tagged suites into the `--skip`/`--filter` of its two phases: the tag is the selection,
/// with no list of names to keep.
///
/// ```swift
/// @Suite("Instances through a real platformd", .serialized, .tags(.integration))
/// struct InstanceProcessTests { … }
/// ```
extension Tag {
    /// Real processes, root, runc, Slurm or PostgreSQL, or wall-clock timing: runs serially, after the rest.
    @Tag public static var integration: Self
}
