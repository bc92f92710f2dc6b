import Foundation
import PlatformContracts
import RuntimeKit
#if canImport(Glibc)
import Glibc
#endif

/// One instance's private network and identity, both derived from a host-wide **slot**.
///
/// Before runc starts, a user namespace (`/run/platformd/userns/<slot>`) and a network
/// namespace it owns (`platformd-<slot>`, `/var/run/netns/…`) are made and kept by bind
/// mounts; config.json joins both by path. The network namespace is owned by the instance's
/// user namespace rather than the host's because runc 1.1 enters the user namespace first
/// on `runc exec` and then cannot join a host-owned network namespace (runc#4390, fixed in
/// 1.2). runc leaves the app three capabilities, none of them `CAP_NET_ADMIN`, so it still
/// cannot change its addresses or routes.
///
/// The network namespace is joined to the host by one veth pair: `pfd<slot>` on the host
/// holds the first address of a link-local /30 (`169.254.0.0/16`), `eth0` inside the
/// second. Nothing else is routed: the host reaches the instance's endpoints at
/// ``instanceAddress`` (the connect proxy, port-forward, SSH, readiness probes), the host's
/// loopback does not, another instance has no route to it (its only route is its own /30),
/// and ``InstanceFirewall`` drops whatever an instance starts towards the host and anything
/// forwarded to or from a `pfd` interface. There is no egress. IPv6 is off on the host end,
/// so link-local IPv6 reaches nothing either.
///
/// The same slot picks the instance's user-namespace range: container uid 0 is host uid
/// ``hostUID`` (`1_000_000_000 + slot × 65536`, size 65536), far above the ranges
/// `/etc/subuid` hands to people, so no two live instances share a host uid. And it names
/// the read-only bind mount of the shared image the instance's root is
/// (`/run/platformd/rootfs/<slot>/root`, in a folder only the instance's group may
/// search): runc prepares the root from inside the user namespace, where the host's
/// root-owned folders grant only their "other" bits, and the data folder above the image
/// cache is rightly 0700.
struct InstanceNetwork: Codable, Hashable {
    /// The slot: 0 ..< ``slotCount``.
    let slot: Int

    /// /30 subnets of 169.254.1.0–169.254.254.255 (RFC 3927 reserves the first and last /24).
    static let slotCount = 254 * 64
    /// The host-wide table of slots in use (tmpfs: it goes with the namespaces at reboot).
    static let registry = URL(fileURLWithPath: "/run/platformd/net")
    /// First host uid of slot 0's user namespace.
    static let firstHostUID = 1_000_000_000
    /// IDs per instance user namespace.
    static let idsPerInstance = 65536
    /// Prefix of the host side of every instance veth (the firewall matches `pfd+`).
    static let hostInterfacePrefix = "pfd"

    /// The network namespace's name.
    var namespace: String { "platformd-\(slot)" }
    /// Its bind mount, which config.json joins.
    var namespacePath: String { "/var/run/netns/\(namespace)" }
    /// The bind mount of the instance's user namespace, which config.json joins.
    var userNamespacePath: String { "/run/platformd/userns/\(slot)" }
    /// The read-only bind mount of the image's rootfs, config.json's `root.path`. Its folder
    /// is `root:<hostUID>` 0710: the instance's root (that group on the host) passes, other
    /// host users do not read the image through it.
    var rootfsPath: String { "/run/platformd/rootfs/\(slot)/root" }
    /// The host end of the veth pair (at most `pfd16255`: within IFNAMSIZ).
    var hostInterface: String { "\(Self.hostInterfacePrefix)\(slot)" }
    /// The host end's address.
    var hostAddress: String { address(offset: 1) }
    /// The instance's address: where its endpoints listen, as the platform sees them.
    var instanceAddress: String { address(offset: 2) }
    /// Host uid (and gid) of container uid 0.
    var hostUID: Int { Self.firstHostUID + slot * Self.idsPerInstance }

    func address(offset: Int) -> String {
        "169.254.\(1 + slot / 64).\(slot % 64 * 4 + offset)"
    }

    /// Whether a slot must never be used: 169.254.169.252/30 holds the cloud metadata
    /// address, and a route to it on a veth would cut the host off from its metadata service.
    static func isReserved(_ slot: Int) -> Bool {
        1 + slot / 64 == 169 && slot % 64 == 63
    }

    // MARK: Slots

    /// Claims a free slot for the instance whose folder is `owner`: the record
    /// `registry/<slot>` is created exclusively, so two servers on one host never share one.
    /// Records whose owner folder is gone (a data folder deleted while its instances ran)
    /// are reclaimed first.
    static func claim(owner: String) async throws -> InstanceNetwork {
        try FileManager.default.createDirectory(at: registry, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let taken = Set(((try? FileManager.default.contentsOfDirectory(atPath: registry.path)) ?? []).compactMap(Int.init))
        for slot in taken {
            if let recorded = InstanceNetwork(slot: slot).owner, !FileManager.default.fileExists(atPath: recorded) {
                await InstanceNetwork(slot: slot).tearDown(owner: recorded)
            }
        }
        let start = Int.random(in: 0..<slotCount)
        for step in 0..<slotCount {
            let slot = (start + step) % slotCount
            guard !taken.contains(slot), !isReserved(slot) else { continue }
            let fd = open(registry.appendingPathComponent(String(slot)).path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { continue }
            let bytes = Array((owner + "\n").utf8)
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            close(fd)
            guard written == bytes.count else {
                unlink(registry.appendingPathComponent(String(slot)).path)
                throw PlatformError(.runtimeStartFailed, "could not record network slot \(slot) under \(registry.path)")
            }
            return InstanceNetwork(slot: slot)
        }
        throw PlatformError(.runtimePlacementUnsatisfiable, "every instance network slot on this host is in use (\(slotCount))")
    }

    /// Tears down every network whose owner folder lies under `folder`.
    static func reclaim(under folder: String) async {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: registry.path)) ?? []
        for slot in names.compactMap(Int.init) {
            let network = InstanceNetwork(slot: slot)
            if let owner = network.owner, owner == folder || owner.hasPrefix(folder + "/") { await network.tearDown(owner: owner) }
        }
    }

    /// The instance folder that holds this slot, if any.
    var owner: String? {
        (try? String(contentsOfFile: Self.registry.appendingPathComponent(String(slot)).path, encoding: .utf8))?
            .trimmingCharacters(in: .newlines)
    }

    // MARK: Namespace and veth

    /// Creates the namespaces and the veth pair, addresses them and brings them up, after
    /// making sure the firewall is in place; removes what it made when a step fails.
    ///
    /// The namespaces are made by a short-lived `unshare --user --net` child whose maps the
    /// host writes (util-linux 2.38's `--map-users` needs `newuidmap`); its namespaces are
    /// bind-mounted, then it is killed.
    func setUp(rootfs: URL) async throws {
        try await InstanceFirewall.ensure()
        let script = """
            set -e
            ip link delete "$2" 2>/dev/null || true
            ip netns delete "$1" 2>/dev/null || true
            umount -l "$5" 2>/dev/null || true
            umount -l "$7" 2>/dev/null || true
            mkdir -p /var/run/netns "${5%/*}" "$7"
            chmod 0711 /run/platformd "${7%/*/*}"
            chown "0:$6" "${7%/*}" && chmod 0710 "${7%/*}"
            mount --bind "$8" "$7"
            mount -o remount,bind,ro "$7"
            rm -f "$5" && touch "/var/run/netns/$1" "$5"
            unshare --user --net sleep 60 &
            holder=$!
            trap 'kill $holder 2>/dev/null || true' EXIT
            self=$(readlink /proc/self/ns/user)
            tries=0
            while [ "$(readlink /proc/$holder/ns/user)" = "$self" ]; do
              tries=$((tries + 1)); [ $tries -lt 10000 ] || { echo "unshare did not start" >&2; exit 1; }
            done
            echo "0 $6 65536" > /proc/$holder/uid_map
            echo "0 $6 65536" > /proc/$holder/gid_map
            mount --bind /proc/$holder/ns/user "$5"
            mount --bind /proc/$holder/ns/net "/var/run/netns/$1"
            ip link add "$2" type veth peer name eth0 netns "$1"
            echo 1 > "/proc/sys/net/ipv6/conf/$2/disable_ipv6"
            ip addr add "$3/30" dev "$2"
            ip link set "$2" up
            ip -n "$1" addr add "$4/30" dev eth0
            ip -n "$1" link set eth0 up
            ip -n "$1" link set lo up
            """
        let result = try await HostCommand.run("/bin/sh", ["-c", script, "platform-net", namespace, hostInterface, hostAddress, instanceAddress,
                                                           userNamespacePath, String(hostUID), rootfsPath, rootfs.path],
                                               timeout: .seconds(20))
        guard result.status == 0 else {
            await removeLinks()
            throw PlatformError(.runtimeStartFailed, "could not create the instance network \(namespace): \(result.problem)")
        }
    }

    /// Deletes the veth pair and the namespace and frees the slot — only while `owner` still
    /// holds it, so a stale record (after a reboot the slot may be another instance's) never
    /// tears down someone else's network. Safe to call twice.
    func tearDown(owner expected: String) async {
        guard owner == expected else { return }
        await removeLinks()
        unlink(Self.registry.appendingPathComponent(String(slot)).path)
    }

    func removeLinks() async {
        let script = """
            ip link delete "$2" 2>/dev/null
            ip netns delete "$1" 2>/dev/null
            umount -l "$3" 2>/dev/null
            rm -f "$3"
            umount -l "$4" 2>/dev/null
            rmdir "$4" "${4%/*}" 2>/dev/null
            exit 0
            """
        _ = try? await HostCommand.run("/bin/sh", ["-c", script, "platform-net", namespace, hostInterface, userNamespacePath, rootfsPath],
                                       timeout: .seconds(20))
    }
}

/// The host-wide iptables rules that keep instances off the host: a packet an instance
/// starts towards any host address (services bound to 0.0.0.0 would otherwise answer on
/// the veth's host address) is dropped, replies to the host's own connections pass, and
/// nothing is forwarded to or from an instance veth. Installed idempotently before every
/// instance network is created; the rules match every `pfd+` interface, so one set serves
/// all instances and outlives none of them wrongly.
enum InstanceFirewall {
    static let chain = "PLATFORMD-ISOLATE"

    static func ensure() async throws {
        let prefix = InstanceNetwork.hostInterfacePrefix + "+"
        // The chain's rules are replaced in one transaction (no moment without the DROP);
        // the jumps are added once, at the top.
        let script = """
            set -e
            printf '*filter\\n:%s - [0:0]\\n-A %s -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\\n-A %s -j DROP\\nCOMMIT\\n' "$1" "$1" "$1" \\
              | iptables-restore -w 10 --noflush
            iptables -w 10 -C INPUT -i "$2" -j "$1" 2>/dev/null || iptables -w 10 -I INPUT 1 -i "$2" -j "$1"
            iptables -w 10 -C FORWARD -i "$2" -j DROP 2>/dev/null || iptables -w 10 -I FORWARD 1 -i "$2" -j DROP
            iptables -w 10 -C FORWARD -o "$2" -j DROP 2>/dev/null || iptables -w 10 -I FORWARD 1 -o "$2" -j DROP
            """
        let result = try await HostCommand.run("/bin/sh", ["-c", script, "platform-firewall", chain, prefix], timeout: .seconds(30))
        guard result.status == 0 else {
            throw PlatformError(.runtimeStartFailed, "could not install the instance firewall (iptables chain \(chain)): \(result.problem)")
        }
    }
}
