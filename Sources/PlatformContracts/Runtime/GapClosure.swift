/// What closes a gap in the portal's manifest/launch/connect matrix, besides the code that
/// applies the feature: the column the seed asks for.
public enum GapClosure: String, Sendable, Hashable, CaseIterable, Comparable {
    /// A launch test on the adapter that asserts the feature's effect inside the instance,
    /// recorded as a ``LaunchFeatureProof``. Every gap needs one: no cell is `validated`
    /// without it.
    case smokeTest = "smoke test"
    /// A runnable SDK example (`examples/python`, `examples/swift`) a developer copies: for
    /// features that need a call before the launch can use them (a secret set, a volume created).
    case sdkExample = "SDK example"

    /// SDK example first: it is what a reader acts on; the smoke test is the platform's part.
    public static func < (lhs: GapClosure, rhs: GapClosure) -> Bool {
        lhs.rank < rhs.rank
    }

    private var rank: Int {
        switch self {
        case .sdkExample: 0
        case .smokeTest: 1
        }
    }
}
