/// `POST /v1/projects/{project}/volumes`.
public struct VolumeRequest: Sendable, Codable, Equatable {
    /// Lowercase letters, digits and dashes (a manifest's persistent volume mounts the
    /// project volume of its name).
    public var name: String
    /// The size limit in MiB.
    public var sizeMiB: Int
    /// The adapter whose storage holds it (default `local`; `slurm` puts it on the shared path
    /// its compute nodes mount). An instance on another adapter cannot mount it.
    public var adapter: String?

    /// Creates a request.
    public init(name: String, sizeMiB: Int, adapter: String? = nil) {
        self.name = name
        self.sizeMiB = sizeMiB
        self.adapter = adapter
    }
}

/// A project's persistent volume.
public struct VolumeRecord: Sendable, Codable, Equatable {
    /// Its id (ULID).
    public var id: String
    /// The name, unique in the project.
    public var name: String
    /// The project id.
    public var project: String
    /// The size limit in MiB (what counts against `quota.volume_bytes`).
    public var sizeMiB: Int
    /// The adapter whose storage holds it (`local`, `slurm`: the shared path).
    public var adapter: String
    /// When created (RFC 3339) and by whom.
    public var createdAt: String
    public var createdBy: String
    /// Live instances mounting it now.
    public var mountedBy: [String]

    /// Creates a record.
    public init(id: String, name: String, project: String, sizeMiB: Int, adapter: String, createdAt: String, createdBy: String,
                mountedBy: [String] = []) {
        self.id = id
        self.name = name
        self.project = project
        self.sizeMiB = sizeMiB
        self.adapter = adapter
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.mountedBy = mountedBy
    }
}
