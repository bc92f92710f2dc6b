import PlatformContracts

/// The typed values of an endpoint's path parameters. Each endpoint names one conforming
/// type; a test checks that its ``parameters`` are exactly the template's, so the server
/// reads and the client writes the same parameters by construction.
public protocol EndpointPath: Sendable {
    /// The parameters this value carries, in path order.
    static var parameters: [PathParameter] { get }
    /// Reads each parameter from the request (the router's captures).
    init(reading value: (PathParameter) throws(PlatformError) -> String) throws(PlatformError)
    /// The value of one of ``parameters``.
    func value(of parameter: PathParameter) -> String
}

/// No path parameters.
public struct NoPath: EndpointPath {
    public static let parameters: [PathParameter] = []
    /// The only value.
    public init() {}
    public init(reading value: (PathParameter) throws(PlatformError) -> String) throws(PlatformError) {}
    public func value(of parameter: PathParameter) -> String { "" }
}

/// `{tenant}`.
public struct TenantPath: EndpointPath {
    public static let parameters: [PathParameter] = [.tenant]
    /// Tenant id or name.
    public var tenant: String
    /// Creates the value.
    public init(tenant: String) { self.tenant = tenant }
    public init(reading value: (PathParameter) throws(PlatformError) -> String) throws(PlatformError) { tenant = try value(.tenant) }
    public func value(of parameter: PathParameter) -> String { tenant }
}

/// `{tenant}/…/{account}`.
public struct TenantAccountPath: EndpointPath {
    public static let parameters: [PathParameter] = [.tenant, .account]
    /// Tenant id or name.
    public var tenant: String
    /// Service account id.
    public var account: String
    /// Creates the value.
    public init(tenant: String, account: String) { self.tenant = tenant; self.account = account }
    public init(reading value: (PathParameter) throws(PlatformError) -> String) throws(PlatformError) {
        tenant = try value(.tenant); account = try value(.account)
    }
    public func value(of parameter: PathParameter) -> String { parameter == .tenant ? tenant : account }
}

/// `{project}`.
public struct ProjectPath: EndpointPath {
    public static let parameters: [PathParameter] = [.project]
    /// Project id or `tenant/project`.
    public var project: String
    /// Creates the value.
    public init(project: String) { self.project = project }
    public init(reading value: (PathParameter) throws(PlatformError) -> String) throws(PlatformError) { project = try value(.project) }
    public func value(of parameter: PathParameter) -> String { project }
}

/// `{project}` and one more parameter below it (`T.parameter`): an account, app, key,
/// digest, instance or session of the project.
public struct ProjectItemPath<Item: ProjectItem>: EndpointPath {
    public static var parameters: [PathParameter] { [.project, Item.parameter] }
    /// Project id or `tenant/project`.
    public var project: String
    /// The item's id or name.
    public var item: String
    /// Creates the value.
    public init(project: String, _ item: String) { self.project = project; self.item = item }
    public init(reading value: (PathParameter) throws(PlatformError) -> String) throws(PlatformError) {
        project = try value(.project); item = try value(Item.parameter)
    }
    public func value(of parameter: PathParameter) -> String { parameter == .project ? project : item }
}

/// What a ``ProjectItemPath`` names below its project.
public protocol ProjectItem: Sendable {
    /// The path parameter.
    static var parameter: PathParameter { get }
}

/// Kinds of ``ProjectItemPath``.
public enum ProjectItems {
    /// A service account.
    public enum Account: ProjectItem { public static let parameter = PathParameter.account }
    /// An app name.
    public enum App: ProjectItem { public static let parameter = PathParameter.app }
    /// A signing key.
    public enum Key: ProjectItem { public static let parameter = PathParameter.key }
    /// An artifact digest.
    public enum Digest: ProjectItem { public static let parameter = PathParameter.digest }
    /// An instance.
    public enum Instance: ProjectItem { public static let parameter = PathParameter.instance }
    /// A connect session.
    public enum Session: ProjectItem { public static let parameter = PathParameter.session }
    /// A release.
    public enum Release: ProjectItem { public static let parameter = PathParameter.release }
    /// A persistent volume.
    public enum Volume: ProjectItem { public static let parameter = PathParameter.volume }
    /// A secret.
    public enum Secret: ProjectItem { public static let parameter = PathParameter.secret }
}

/// `/v1/keys/{key}`.
public struct KeyPath: EndpointPath {
    public static let parameters: [PathParameter] = [.key]
    /// Key id.
    public var key: String
    /// Creates the value.
    public init(key: String) { self.key = key }
    public init(reading value: (PathParameter) throws(PlatformError) -> String) throws(PlatformError) { key = try value(.key) }
    public func value(of parameter: PathParameter) -> String { key }
}

/// `/v1/registries/{kind}`.
public struct RegistryKindPath: EndpointPath {
    public static let parameters: [PathParameter] = [.kind]
    /// Registry kind.
    public var kind: String
    /// Creates the value.
    public init(kind: String) { self.kind = kind }
    public init(reading value: (PathParameter) throws(PlatformError) -> String) throws(PlatformError) { kind = try value(.kind) }
    public func value(of parameter: PathParameter) -> String { kind }
}
