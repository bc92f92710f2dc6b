import PlatformContracts
import RuntimeKit

/// A launch's secrets on the platform side: admission checks that every `secret://` reference
/// names the launching project and an existing secret; the supervisor resolves the values
/// through ``SecretCustody/reveal(project:name:instance:correlationId:)`` (audited) just before
/// each start — never earlier, and never into anything stored: ``LaunchSpec`` does not encode
/// ``LaunchSpec/secretValues``.
enum InstanceSecrets {
    /// `secret://<project>/<name>` split, or `nil`. `secret:///<name>` (no project) is the
    /// launching project's secret `<name>`, whichever project that is: the form a manifest
    /// published to the platform catalog uses, since every tenant launches it into its own
    /// project (`project` is then empty).
    static func parse(_ ref: String) -> (project: String, name: String)? {
        guard ref.hasPrefix("secret://") else { return nil }
        let parts = ref.dropFirst("secret://".count).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty else { return nil }
        return (String(parts[0]), String(parts[1]))
    }

    /// Refuses a launch whose secrets cannot be delivered: a reference to another project
    /// (by name or id) or to a secret the project does not have, or any secret when this
    /// server has no custody (fails closed).
    /// - Throws: ``ErrorCode/secretNotFound``, ``ErrorCode/secretUnavailable``.
    static func check(_ deliveries: [SecretDelivery], project: Project, custody: (any SecretCustody)?) async throws {
        guard !deliveries.isEmpty else { return }
        guard let custody else {
            throw PlatformError(.secretUnavailable, "this server keeps no secrets; the manifest asks for \(deliveries.map(\.name).joined(separator: ", "))")
        }
        let names = Set(try await custody.list(project: project.id).map(\.name))
        for delivery in deliveries {
            guard let ref = parse(delivery.ref) else {
                throw PlatformError(.secretNotFound, "secret \(delivery.name): \(delivery.ref) is not secret://<project>/<name> or secret:///<name>")
            }
            guard ref.project.isEmpty || ref.project.lowercased() == project.name.lowercased()
                || ref.project.lowercased() == project.id.lowercased() else {
                throw PlatformError(.secretNotFound, "secret \(delivery.name): \(delivery.ref) names another project; a launch gets its own project's secrets only")
            }
            guard names.contains(ref.name) else {
                throw PlatformError(.secretNotFound, "secret \(delivery.name): project \(project.name) has no secret \(ref.name) (appctl secret set \(ref.name))")
            }
        }
    }

    /// `spec` with ``LaunchSpec/secretValues`` filled for `instance`, each value revealed
    /// (and audited) under the launch's correlation id.
    /// - Throws: ``ErrorCode/secretNotFound`` (deleted since admission),
    ///   ``ErrorCode/secretUnavailable`` (no custody, or the custody fails closed).
    static func resolve(_ spec: LaunchSpec, custody: (any SecretCustody)?, correlationId: String?) async throws -> LaunchSpec {
        guard !spec.secrets.isEmpty else { return spec }
        guard let custody else { throw PlatformError(.secretUnavailable, "this server keeps no secrets to deliver") }
        var resolved = spec
        resolved.secretValues = [:]
        for delivery in spec.secrets {
            guard let ref = parse(delivery.ref) else {
                throw PlatformError(.secretNotFound, "secret \(delivery.name): \(delivery.ref) is not secret://<project>/<name> or secret:///<name>")
            }
            resolved.secretValues[delivery.name] = try await custody.reveal(
                project: spec.project, name: ref.name, instance: spec.instanceId, correlationId: correlationId)
        }
        return resolved
    }
}

extension InstanceSupervisor {
    /// Sets the custody every start resolves secrets through (before ``run()``).
    func setSecrets(_ custody: (any SecretCustody)?) {
        secrets = custody
    }

    /// The row's spec with its secrets' values, for `adapter.start` (begin and every restart).
    func specWithSecrets(_ row: InstanceRow) async throws -> LaunchSpec {
        try await InstanceSecrets.resolve(row.spec, custody: secrets, correlationId: row.launchRequestID)
    }
}
