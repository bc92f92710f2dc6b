import OCIKit
import PlatformContracts

extension OCIRegistry {
    /// What of `requested` the caller may do now: the repository's project must be in the
    /// caller's reach and each action's scope held (`*` asks for every action). Nothing is
    /// audited: a token request that asks for more than it gets is normal (clients ask for
    /// `pull,push` to pull); the refusal is audited when a request needs the missing action.
    /// - Returns: The granted scope, or `nil` when nothing is granted.
    public func grant(_ requested: RegistryScope, caller: Caller) async throws -> RegistryScope? {
        guard requested.type == "repository", let repository = try? RepositoryName(requested.name) else { return nil }
        do {
            _ = try await identity.project(repository.projectID, visibleTo: caller)
        } catch let error as PlatformError where error.code == .iamNotFound || error.code == .iamForbidden {
            return nil
        }
        let grants = try await identity.authorize(caller)  // one IAM read decides every action asked for
        let granted = RegistryAction.allCases
            .filter { requested.actions.contains($0.rawValue) || requested.actions.contains("*") }
            .filter { grants.decision(for: $0.scope) == .allow }.map(\.rawValue)
        return granted.isEmpty ? nil : RegistryScope(type: "repository", name: repository.name, actions: granted)
    }
}
