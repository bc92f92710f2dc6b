import PlatformContracts
import Synchronization

/// Durable claims on GPU devices, shared by every replica that places workloads on the same
/// nodes: a ``GPUInventory`` is one process's memory, so two replicas over one host would
/// otherwise hand out one device twice. The inventory claims what it chose before it is
/// used, and chooses again around what others hold.
public protocol GPUDeviceClaims: Sendable {
    /// Claims `allocation`'s devices for its instance, unless another instance holds one of
    /// them in a way `sharing` cannot share (a shared request shares only with shared holders).
    /// Claims of the same instance are kept (a re-attached instance claims again).
    /// - Returns: The devices held elsewhere; empty when the claim was recorded (nothing is
    ///   claimed otherwise).
    func claim(_ allocation: GPUAllocation, sharing: GPUSharing) async throws -> Set<String>
    /// Releases every claim of `instance`.
    func release(instance: String) async throws
}

/// Claims set once the store is open: the inventory is built before it (GPU discovery runs
/// first), so the server gives it this and fills it in. Until then nothing is claimed.
public final class LateGPUDeviceClaims: GPUDeviceClaims {
    private let target = Mutex<(any GPUDeviceClaims)?>(nil)

    public init() {}

    /// Forwards every claim and release to `claims` from now on.
    public func set(_ claims: any GPUDeviceClaims) { target.withLock { $0 = claims } }

    public func claim(_ allocation: GPUAllocation, sharing: GPUSharing) async throws -> Set<String> {
        guard let target = target.withLock({ $0 }) else { return [] }
        return try await target.claim(allocation, sharing: sharing)
    }

    public func release(instance: String) async throws {
        try await target.withLock({ $0 })?.release(instance: instance)
    }
}
