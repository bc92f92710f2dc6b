import Testing

/// The test tiers, as Swift Testing tags: the one place a suite says which tier it is in.
///
/// - Untagged: the fast tier and everything else that runs in-process (SQLite, the
///   in-memory runtime twin, a `ManualClock`); `scripts/test.sh` runs these first, in
///   parallel.
/// - ``Tag/integration``: suites that start real processes (platformd, runc, a Slurm
///   cluster, PostgreSQL, skopeo, ssh, Chromium) or assert on wall-clock timing. They
///   starve each other when run beside everything else on a 2-core machine, so
///   `scripts/test.sh` runs them after the rest, one at a time within each of three lanes:
///   - ``Tag/slurm`` or ``Tag/appImages`` (with `.integration`): suites that start a Slurm
///     cluster, so no two clusters (or a drained node) meet, and those that launch the
///     catalog's PyPI-built images (which also evens out the two lanes' lengths);
///   - `.integration` alone: every other real-process suite, in the second lane, run at
///     the same time as the first (the two mostly wait on processes, not on CPU);
///   - ``Tag/timing`` (with `.integration`): tests that assert on wall-clock deadlines;
///     they run last, alone, with nothing beside them.
///
/// `swift test` in this toolchain cannot filter by tag (`--filter tag:…` matches nothing),
/// so `scripts/test.sh` reads the tags from `swift test list`'s event stream and turns the
/// tagged suites into the `--skip`/`--filter` of its phase and lanes: the tag is the selection,
/// with no list of names to keep.
///
/// ```swift
/// @Suite("Instances through a real platformd", .serialized, .tags(.integration))
/// struct InstanceProcessTests { … }
/// ```
extension Tag {
    /// Real processes, root, runc, Slurm or PostgreSQL, or wall-clock timing: runs serially, after the rest.
    @Tag public static var integration: Self
    /// Starts a Slurm cluster: the integration tier's Slurm lane.
    @Tag public static var slurm: Self
    /// Launches a catalog app image built from PyPI (JupyterLab, TensorBoard, the fine-tune job): the Slurm lane.
    @Tag public static var appImages: Self
    /// Asserts on wall-clock time (deadlines, timeouts, a ping bound): runs alone, after the lanes.
    @Tag public static var timing: Self
}
