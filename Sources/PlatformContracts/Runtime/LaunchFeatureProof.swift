/// A test that launched one manifest feature on one adapter and asserted its effect inside
/// the running instance: what a `validated` cell of the portal's manifest/launch/connect
/// matrix rests on. A feature is `validated` on an adapter only when a proof names it; the
/// tests check every proof (its test exists, is an integration test of that adapter, and
/// names the feature), so the table cannot claim what no test does.
public struct LaunchFeatureProof: Sendable, Hashable {
    /// The manifest path (`secrets`, `lifecycle.restartPolicy`), as in ``ManifestFeatureSupport``.
    public var feature: String
    /// The adapter the test launched on (`local`, `slurm`).
    public var adapter: String
    /// `SuiteName/testFunctionName` of the test.
    public var test: String

    /// Creates a proof.
    public init(_ feature: String, on adapter: String, test: String) {
        self.feature = feature
        self.adapter = adapter
        self.test = test
    }

    /// Every proof the test suite carries. Add a line in the commit that adds the test.
    public static let recorded: [LaunchFeatureProof] = [
    ]
}
