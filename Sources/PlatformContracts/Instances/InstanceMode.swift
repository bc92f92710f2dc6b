/// How an instance runs: the manifest's `mode`, typed from the manifest to the adapter.
///
/// The raw values are the wire spelling (`"mode": "job"` in instance records and the
/// OpenAPI document), so a record encodes exactly as it did when the field was a string.
public enum InstanceMode: String, Sendable, Codable, Hashable, CaseIterable {
    /// A user's interactive session (notebook, IDE).
    case interactive
    /// A long-running service.
    case service
    /// Runs to completion; exit 0 is success.
    case job
}
