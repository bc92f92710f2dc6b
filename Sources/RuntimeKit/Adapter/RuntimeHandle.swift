import PlatformContracts

/// An adapter's opaque, versioned reference to one workload; the platform persists it as
/// JSON and never looks inside.
public struct RuntimeHandle: Sendable, Codable, Hashable {
    /// The adapter that issued it.
    public var adapter: String
    /// The issuing adapter's handle format version.
    public var version: Int
    /// The instance it belongs to.
    public var instanceId: String
    /// Adapter-private fields (container id, job id, paths).
    public var fields: [String: String]

    /// Creates a handle.
    public init(adapter: String, version: Int, instanceId: String, fields: [String: String]) {
        self.adapter = adapter
        self.version = version
        self.instanceId = instanceId
        self.fields = fields
    }

    /// A field the adapter requires.
    /// - Throws: ``ErrorCode/runtimeHandleInvalid`` when missing.
    public func field(_ name: String) throws(PlatformError) -> String {
        guard let value = fields[name] else {
            throw PlatformError(.runtimeHandleInvalid, "\(adapter) handle v\(version) of \(instanceId) lacks \(name)")
        }
        return value
    }

    /// Checks the handle was issued by `adapter` in a version it reads.
    /// - Throws: ``ErrorCode/runtimeHandleInvalid``.
    public func require(adapter expected: String, versions: ClosedRange<Int>) throws(PlatformError) {
        guard adapter == expected else {
            throw PlatformError(.runtimeHandleInvalid, "handle of \(instanceId) was issued by \(adapter), not \(expected)")
        }
        guard versions.contains(version) else {
            throw PlatformError(.runtimeHandleInvalid,
                                "\(adapter) handle of \(instanceId) has version \(version); this server reads \(versions.lowerBound)…\(versions.upperBound)")
        }
    }
}
