import PlatformContracts

extension InstanceService {
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
