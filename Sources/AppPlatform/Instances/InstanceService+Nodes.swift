import PlatformContracts
import RuntimeKit

extension InstanceService {
    /// The nodes of every adapter as `caller` may see them: each adapter that lists its
    /// nodes (``RuntimeNodeInventory``) is asked now, `local` first; `host` (the server's GPU
    /// inventory) stands in when none does. An adapter that does not answer shows as one
    /// node in state `unknown` with the reason, so the list never hides a runtime.
    public func nodes(visibleTo caller: Caller, host: [NodeUsage]) async -> [NodeUsage] {
        let listing = adapters.sorted { ($0.key == "local" ? "" : $0.key) < ($1.key == "local" ? "" : $1.key) }
            .compactMap { name, adapter in (adapter as? any RuntimeNodeInventory).map { (name, $0) } }
        guard !listing.isEmpty else { return await nodes(host, visibleTo: caller) }
        var all: [NodeUsage] = []
        for (name, inventory) in listing {
            do {
                all += try await inventory.nodeUsage()
            } catch {
                let why = (error as? PlatformError)?.message ?? "\(error)"
                all.append(NodeUsage(node: name, adapter: name, state: .unknown, reason: "the \(name) runtime did not answer: \(why)", devices: []))
            }
        }
        return await nodes(all, visibleTo: caller)
    }

    /// The GPU inventory as `caller` may see it: a device held by an instance outside the
    /// caller's reach shows as held (`instance` is `"other"`), never by id, so one tenant
    /// cannot enumerate another's instances through `/v1/nodes`.
    public func nodes(_ snapshot: [NodeUsage], visibleTo caller: Caller) async -> [NodeUsage] {
        snapshot.map { node in
            var node = node
            node.devices = node.devices.map { slot in
                guard let holder = slot.instance else { return slot }
                var slot = slot
                if !mayReveal(holder, to: caller) { slot.instance = NodeUsage.Device.heldElsewhere }
                return slot
            }
            return node
        }
    }

    /// Whether `caller` reaches the instance: a platform-wide key reaches every one; a
    /// tenant key its tenant's; a project key its project's. Unknown holders stay hidden.
    func mayReveal(_ instance: String, to caller: Caller) -> Bool {
        guard caller.tenantId != nil else { return true }
        guard let row = live.row(instance) else { return false }
        return row.tenantId == caller.tenantId && (caller.projectId == nil || row.projectId == caller.projectId)
    }
}
