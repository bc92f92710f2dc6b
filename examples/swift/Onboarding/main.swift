// The onboarding path through the Swift SDK (the PlatformClient library product), the Swift
// twin of examples/python/onboarding.py.
//
// Against a live platformd: authenticate with an admin key, create a tenant and a project, a
// service account and a key for it; then, as that service account, register the reference app
// (manifests/apps/gpu-echo.yaml) and list the catalog, launch it, read its events and stop it.
// Launching needs the app's artifact in the registry at its required trust: with --appctl the
// program publishes it first the way a developer does (examples/gpu-echo/publish.sh: build,
// push, sign, evidence, promote to staging; needs umoci, and runc to run it). Without --appctl
// it stops after the catalog and says so.
//
// One line per step; every step has a time limit; the first failing step ends the program
// with exit 1 and its reason. Run by scripts/sdk/swift.sh smoke (CI: scripts/test.sh).
//
//     swift run swift-sdk-onboarding --server URL --admin-key-file FILE --work DIR [--appctl PATH]
import Foundation
import PlatformAPI
import PlatformClient
import PlatformContracts

/// The command line: `--name value` pairs.
struct Options {
    var server = ""
    var adminKeyFile = ""
    var work = ""
    var appctl: String?
    /// The checkout (manifests/, examples/): the working directory unless `--root` names it.
    var root = FileManager.default.currentDirectoryPath

    init(_ arguments: [String]) throws {
        var index = 0
        while index < arguments.count {
            guard index + 1 < arguments.count else { throw Failure(step: "arguments", reason: "\(arguments[index]) needs a value") }
            let value = arguments[index + 1]
            switch arguments[index] {
            case "--server": server = value
            case "--admin-key-file": adminKeyFile = value
            case "--work": work = value
            case "--appctl": appctl = value
            case "--root": root = value
            default: throw Failure(step: "arguments", reason: "unknown option \(arguments[index])")
            }
            index += 2
        }
        guard !server.isEmpty, !adminKeyFile.isEmpty, !work.isEmpty else {
            throw Failure(step: "arguments", reason: "usage: swift-sdk-onboarding --server URL --admin-key-file FILE --work DIR [--appctl PATH] [--root DIR]")
        }
    }
}

/// A step that failed, and why.
struct Failure: Error {
    var step: String
    var reason: String
}

/// Numbers the steps and prints one line each.
@MainActor
final class Steps {
    private(set) var count = 0

    /// Runs `body` within `seconds`; a thrown error or the time running out fails the step
    /// (then at once: the body is cancelled, not waited for).
    func run<T: Sendable>(_ name: String, within seconds: Int = 15, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        count += 1
        let (outcomes, outcome) = AsyncStream<Result<T, any Error>?>.makeStream()
        let work = Task {
            do { outcome.yield(.success(try await body())) } catch { outcome.yield(.failure(error)) }
        }
        let timer = Task {
            try? await Task.sleep(for: .seconds(seconds))
            outcome.yield(nil)
        }
        defer { work.cancel(); timer.cancel(); outcome.finish() }
        var first: Result<T, any Error>?
        for await result in outcomes { first = result; break }
        switch first {
        case .success(let value)?: return value
        case .failure(let error as PlatformClientError)?:
            throw Failure(step: name, reason: "\(error)\(error.status.map { " [HTTP \($0)]" } ?? "")")
        case .failure(let error)?: throw Failure(step: name, reason: "\(error)")
        case nil: throw Failure(step: name, reason: "no answer within \(seconds) s")
        }
    }

    /// Fails the current step unless `condition` holds.
    func check(_ name: String, _ condition: Bool, _ reason: @autoclosure () -> String) throws {
        if !condition { throw Failure(step: name, reason: reason()) }
    }

    func ok(_ text: String) { say("[\(count)] ok: \(text)") }
    func skipped(_ text: String) { say("skipped: \(text)") }
    func failed(_ failure: Failure) { say("[\(count)] FAILED: \(failure.step): \(failure.reason)") }

    /// One line, unbuffered: into a pipe too, each line shows as its step ends.
    private func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
}

/// Polls the instance until its phase is one of `phases` or `seconds` pass; returns it then.
func waitPhase(_ client: PlatformClient, _ path: Endpoints.InstanceItem, _ phases: Set<String>, seconds: Int) async throws -> InstanceRecord {
    let deadline = ContinuousClock.now.advanced(by: .seconds(seconds))
    while true {
        let instance = try await client.send(Endpoints.getInstance, path: path)
        if phases.contains(instance.phase.name) || ContinuousClock.now > deadline { return instance }
        try await Task.sleep(for: .milliseconds(200))
    }
}

/// Runs examples/gpu-echo/publish.sh with appctl as the admin, its output in WORK/publish.log;
/// returns its exit status. Cancelling the task (the step's time limit) kills it.
func publish(_ options: Options, project: String, adminKey: String) async throws -> Int32 {
    var environment = ProcessInfo.processInfo.environment
    environment["APPCTL"] = options.appctl
    environment["APPCTL_TOKEN"] = adminKey
    environment["XDG_CONFIG_HOME"] = "\(options.work)/xdg"
    let script = Spawned(
        ["/bin/bash", "\(options.root)/examples/gpu-echo/publish.sh", "--project", project, "--to", "staging",
         "--server", options.server, "--key", "\(options.work)/gpu-echo-signing.pem"],
        environment: environment, log: "\(options.work)/publish.log")
    let pid = try script.start()
    return try await withTaskCancellationHandler {
        try await Spawned.exitStatus(of: pid)
    } onCancel: {
        kill(-pid, SIGKILL)
    }
}

/// A child process started the way a shell starts one: default signal dispositions and an
/// empty signal mask (Foundation's `Process` passes on the mask of the Swift thread that
/// spawns it, where SIGTERM is blocked, so the script could not stop its own sandboxed smoke
/// test), in a process group of its own, so a timeout kills the script and all it started.
struct Spawned {
    var arguments: [String]
    var environment: [String: String]
    var log: String

    init(_ arguments: [String], environment: [String: String], log: String) {
        self.arguments = arguments; self.environment = environment; self.log = log
    }

    func start() throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard result == 0 else { throw Failure(step: "spawn", reason: "cannot start \(arguments[0]): \(String(cString: strerror(result)))") }
        return pid
    }

    /// Waits for `pid` without blocking a thread: its exit code, or 128 + the signal that ended it.
    static func exitStatus(of pid: pid_t) async throws -> Int32 {
        while true {
            var status: Int32 = 0
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid {
                let signal = status & 0x7f
                return signal == 0 ? (status >> 8) & 0xff : 128 + signal
            }
            if done < 0 { throw Failure(step: "wait", reason: String(cString: strerror(errno))) }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}

@MainActor
func onboard(_ options: Options, steps: Steps) async throws {
    let adminKey = try String(contentsOfFile: options.adminKeyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    let admin = PlatformClient(server: options.server, token: adminKey)

    let caller = try await steps.run("authenticate (GET /v1/whoami)") { try await admin.send(Endpoints.whoami) }
    steps.ok("authenticated as \(caller.principalName) (\(caller.principalKind), \(caller.scopes.count) scopes)")

    let tenant = try await steps.run("create tenant") { try await admin.send(Endpoints.createTenant, body: NameRequest(name: "swift-sdk")) }
    steps.ok("tenant \(tenant.name) \(tenant.id)")
    let project = try await steps.run("create project") {
        try await admin.send(Endpoints.createProject, path: TenantPath(tenant: tenant.id), body: NameRequest(name: "apps"))
    }
    steps.ok("project \(project.name) \(project.id)")
    let projectPath = ProjectPath(project: project.id)

    let account = try await steps.run("create service account") {
        try await admin.send(Endpoints.createServiceAccount, path: projectPath,
                             body: ServiceAccountRequest(name: "onboarding", role: "developer"))
    }
    steps.ok("service account \(account.name) \(account.id)")
    let scopes = ["apps:catalog:register", "apps:catalog:read", "apps:instance:launch", "apps:instance:read"]
    let issued = try await steps.run("create key") {
        try await admin.send(Endpoints.createKey, body: KeyRequest(serviceAccount: account.id, scopes: scopes, expiresInSeconds: 3600))
    }
    try steps.check("create key", issued.info.scopes.sorted() == scopes.sorted(), "scopes \(issued.info.scopes)")
    steps.ok("key \(issued.info.id) for \(account.name) (\(scopes.joined(separator: ", ")))")

    let developer = PlatformClient(server: options.server, token: issued.key)
    let me = try await steps.run("authenticate with the new key") { try await developer.send(Endpoints.whoami) }
    try steps.check("authenticate with the new key", me.principalId == account.id, "principal \(me.principalId)")
    steps.ok("the new key authenticates as \(me.principalName)")

    let manifest = try String(contentsOfFile: "\(options.root)/manifests/apps/gpu-echo.yaml", encoding: .utf8)
    let app = try await steps.run("register app") {
        try await developer.send(Endpoints.registerApp, path: projectPath, body: AppRegistration(file: "gpu-echo.yaml", manifest: manifest))
    }
    try steps.check("register app", app.name == "gpu-echo", "registered \(app.name)")
    steps.ok("registered app \(app.name) \(app.version) (\(app.digest.prefix(19))…)")
    let apps = try await steps.run("list apps") { try await developer.send(Endpoints.listApps, path: projectPath) }
    try steps.check("list apps", apps.contains { $0.name == "gpu-echo" }, "catalog \(apps.map(\.name))")
    steps.ok("catalog lists \(apps.map(\.name).sorted().joined(separator: ", "))")

    guard options.appctl != nil else {
        steps.skipped("launch, events, stop (no --appctl: the gpu-echo artifact cannot be published here)")
        return
    }
    let published = try await steps.run("publish the gpu-echo artifact (examples/gpu-echo/publish.sh, a fixture: appctl as the admin)",
                                        within: 75) { try await publish(options, project: project.id, adminKey: adminKey) }
    try steps.check("publish", published == 0, "publish.sh exited \(published) (log \(options.work)/publish.log)")
    steps.ok("published gpu-echo 1.0.0 and promoted it to staging")

    let launched = try await steps.run("launch") {
        try await developer.send(Endpoints.launchInstance, path: projectPath,
                                 body: LaunchRequest(app: "gpu-echo", environment: "staging", gpus: "0"))
    }
    steps.ok("launched instance \(launched.id) (\(launched.phase.name))")
    // scripts/sdk/swift.sh stops it through the API should a later step fail.
    try "\(project.id)/instances/\(launched.id)".write(toFile: "\(options.work)/instance", atomically: true, encoding: .utf8)
    let path = Endpoints.InstanceItem(project: project.id, launched.id)
    let ready = try await steps.run("wait for ready", within: 35) {
        try await waitPhase(developer, path, ["ready", "failed", "stopped", "succeeded"], seconds: 30)
    }
    try steps.check("wait for ready", ready.phase == .ready, "phase \(ready.phase.name): \(ready.message ?? "")")
    steps.ok("instance \(ready.id) is ready on \(ready.adapter)")

    let events = try await steps.run("read events") { try await developer.send(Endpoints.listInstanceEvents, path: path, query: EventsQuery()) }
    let phases = events.map(\.phase.name)
    try steps.check("read events", phases.contains("ready") && events.map(\.seq) == events.map(\.seq).sorted(), "events \(phases)")
    steps.ok("events: \(phases.joined(separator: " -> "))")

    let stopping = try await steps.run("stop") { try await developer.send(Endpoints.stopInstance, path: path) }
    steps.ok("stop requested (\(stopping.phase.name))")
    let final = try await steps.run("wait for stopped", within: 35) {
        try await waitPhase(developer, path, ["stopped", "failed", "succeeded"], seconds: 30)
    }
    try steps.check("wait for stopped", final.phase == .stopped, "phase \(final.phase.name): \(final.message ?? "")")
    _ = FileManager.default.createFile(atPath: "\(options.work)/instance.stopped", contents: nil)
    steps.ok("instance \(final.id) is stopped")
    let after = events.last?.seq ?? 0
    let later = try await steps.run("read later events") {
        try await developer.send(Endpoints.listInstanceEvents, path: path, query: EventsQuery(after: after))
    }
    try steps.check("read later events", later.last?.phase == .stopped, "later events \(later.map(\.phase.name))")
    steps.ok("later events: \(later.map(\.phase.name).joined(separator: " -> "))")
}

let steps = Steps()
do {
    try await onboard(try Options(Array(CommandLine.arguments.dropFirst())), steps: steps)
} catch let failure as Failure {
    steps.failed(failure)
    exit(1)
} catch {
    steps.failed(Failure(step: "setup", reason: "\(error)"))
    exit(1)
}
