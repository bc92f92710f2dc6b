import OCIKit
import PlatformContracts

extension OCIRegistry {
    /// What of `requested` the caller may do now: the repository's project must be in the
    /// caller's reach and each action's scope held (`*` asks for every action). Nothing is
    /// audited: a token request that asks for more than it gets is normal (clients ask for
    /// `pull,push` to pull); the refusal is audited when a request needs the missing action.
    /// The granted scope names the repository in its id form whichever form was asked for,
    /// so one token serves both names of the repository (the `/v2` routes resolve the path
    /// before they check a token's scopes).
    /// - Returns: The granted scope, or `nil` when nothing is granted.
    public func grant(_ requested: RegistryScope, caller: Caller) async throws -> RegistryScope? {
        guard requested.type == "repository" else { return nil }
        let repository: RepositoryName
        do {
            repository = try await resolve(requested.name, caller: caller).repository
        } catch let error as PlatformError
                    where [.artifactNameInvalid, .artifactNameUnknown, .iamNotFound, .iamForbidden].contains(error.code) {
            return nil
        }
        let grants = try await identity.authorize(caller)  // one IAM read decides every action asked for
        let granted = RegistryAction.allCases
            .filter { requested.actions.contains($0.rawValue) || requested.actions.contains("*") }
            .filter { grants.decision(for: $0.scope) == .allow }.map(\.rawValue)
        return granted.isEmpty ? nil : RegistryScope(type: "repository", name: repository.name, actions: granted)
    }
}
