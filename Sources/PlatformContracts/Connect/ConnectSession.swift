/// A connect session: a short-lived credential bound to one instance, one of its app's
/// connect actions (and so one endpoint), one principal and one project.
///
/// The secrets (`token`, `launchURL`, `ssh`) appear only in the answer that created or
/// refreshed the session; listings never carry them.
public struct ConnectSessionRecord: Sendable, Codable, Hashable {
    /// A short-lived SSH certificate issued for the session's public key.
    public struct SSHAccess: Sendable, Codable, Hashable {
        /// `ssh-ed25519-cert-v01@openssh.com AAAA… session-ID`, for `CertificateFile`.
        public var certificate: String
        /// The login user on the instance.
        public var user: String
        /// The certificate's only principal: the instance id, which the instance's `sshd` requires.
        public var principal: String
        /// The certificate's end of validity (RFC 3339), no later than the session's.
        public var validBefore: String

        /// Creates the SSH part.
        public init(certificate: String, user: String, principal: String, validBefore: String) {
            self.certificate = certificate
            self.user = user
            self.principal = principal
            self.validBefore = validBefore
        }
    }

    /// The session id (a ULID).
    public var id: String
    /// The instance.
    public var instanceId: String
    /// Its project.
    public var projectId: String
    /// The manifest's connect action.
    public var action: String
    /// The action's type: `web`, `port-forward`, `ssh` or `api`.
    public var type: String
    /// The endpoint the action reaches.
    public var endpoint: String
    /// Who opened it.
    public var principalId: String
    /// `active`, `expired`, `revoked` or `ended` (the instance stopped).
    public var state: String
    /// When it was opened.
    public var createdAt: String
    /// When it stops working unless refreshed.
    public var expiresAt: String
    /// When it was revoked or ended, if it was.
    public var endedAt: String?
    /// Why it ended (`revoked by …`, `instance stopping`).
    public var endedReason: String?
    /// Web actions: the proxy prefix, `/i/{instance}/{action}/`.
    public var path: String?
    /// Secret, shown once: the bearer token for tunnels and API clients (`pcs_…`).
    public var token: String?
    /// Secret, shown once, web actions: a one-time URL path that sets the session cookie and
    /// redirects to ``path``; it works once, within two minutes.
    public var launchURL: String?
    /// Secret, shown once, SSH actions with a public key: the certificate.
    public var ssh: SSHAccess?

    /// Creates a record.
    public init(id: String, instanceId: String, projectId: String, action: String, type: String, endpoint: String,
                principalId: String, state: String, createdAt: String, expiresAt: String, endedAt: String? = nil,
                endedReason: String? = nil, path: String? = nil, token: String? = nil, launchURL: String? = nil,
                ssh: SSHAccess? = nil) {
        self.id = id
        self.instanceId = instanceId
        self.projectId = projectId
        self.action = action
        self.type = type
        self.endpoint = endpoint
        self.principalId = principalId
        self.state = state
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.endedAt = endedAt
        self.endedReason = endedReason
        self.path = path
        self.token = token
        self.launchURL = launchURL
        self.ssh = ssh
    }
}

/// `POST /v1/projects/{project}/instances/{instance}/connect`.
public struct ConnectRequest: Sendable, Codable, Hashable {
    /// The connect action's name; or give ``endpoint``. The app's first action when both are absent.
    public var action: String?
    /// The endpoint whose connect action to use, when ``action`` is absent.
    public var endpoint: String?
    /// The first action of this type (`web`, `port-forward`, `ssh`, `api`), when neither
    /// ``action`` nor ``endpoint`` is given.
    public var type: String?
    /// Lifetime in seconds; the action's `credentialTTLSeconds` (≤ the policy maximum) when absent.
    public var ttlSeconds: Int?
    /// SSH actions: an `ssh-ed25519` public key line to certify for the session.
    public var sshPublicKey: String?

    /// Creates a request.
    public init(action: String? = nil, endpoint: String? = nil, type: String? = nil, ttlSeconds: Int? = nil, sshPublicKey: String? = nil) {
        self.action = action
        self.endpoint = endpoint
        self.type = type
        self.ttlSeconds = ttlSeconds
        self.sshPublicKey = sshPublicKey
    }
}

/// `POST /v1/projects/{project}/connect-sessions/{session}/refresh`.
public struct ConnectRefreshRequest: Sendable, Codable, Hashable {
    /// The new lifetime from now; the action's default when absent.
    public var ttlSeconds: Int?
    /// SSH actions: a public key to certify again for the new lifetime.
    public var sshPublicKey: String?

    /// Creates a request.
    public init(ttlSeconds: Int? = nil, sshPublicKey: String? = nil) {
        self.ttlSeconds = ttlSeconds
        self.sshPublicKey = sshPublicKey
    }
}
