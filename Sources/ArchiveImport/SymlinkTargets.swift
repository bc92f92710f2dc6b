/// What an absolute symlink target means in an archive.
///
/// An uploaded archive (an OCI layout to import) has no root of its own: an absolute target
/// can only mean the host's file system, so it is refused. An image layer does have one: in
/// a Debian or Ubuntu rootfs `/etc/alternatives/awk -> /usr/bin/mawk` names the image's own
/// `/usr/bin/mawk`, and refusing it would refuse nearly every distribution image. Such a
/// target is rewritten to the relative target that lands on the same path inside the image
/// (`../../usr/bin/mawk`): inside the container it resolves exactly as the absolute one
/// would, and host code that follows it (reading the rootfs's `/etc/passwd`, say) stays in the
/// rootfs instead of reaching the host's file of that name.
public enum SymlinkTargets: Sendable, Equatable {
    /// Absolute targets are refused (``ArchiveRefusal/Reason/linkEscape``): archives with no root.
    case insideDestination
    /// Absolute targets are rooted at the destination and written as the equivalent relative
    /// target: image layers, whose destination is the image's root.
    case rootedAtDestination
}
