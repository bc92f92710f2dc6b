import ArgumentParser
import Foundation
import PlatformAPI
import PlatformClient
import PlatformContracts

/// `appctl notifications`: the caller's in-app feed, its live stream, the caller's
/// preferences, and (platform admins) the outbox's dead letters.
public struct NotificationsCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "notifications", abstract: "Read and follow your notification feed; set your preferences; retry dead letters.",
        subcommands: [NotificationListCommand.self, NotificationWatchCommand.self, NotificationPreferencesCommand.self,
                      DeadLetterCommand.self])
    /// Creates the command.
    public init() {}
}

/// `--project P --after ID` of the feed commands: a filter, so no default project applies.
public struct FeedFilterOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: ArgumentHelp("Only this project's items: tenant/project or its id.", valueName: "project"))
    var project: String?
    @Option(name: .long, help: ArgumentHelp("Only items after this event id.", valueName: "id")) var after: String?

    /// Creates the options.
    public init() {}

    /// Refuses a malformed project or event id before any request.
    public func validate() throws {
        if let project { _ = try ProjectOption.checked(project) }
        if let after, ULID.canonical(after) == nil { throw ValidationError("--after takes an event id (a ULID); got \"\(after)\".") }
    }

    /// The query these options ask for.
    func query(limit: Int = 100) throws -> NotificationFeedQuery {
        NotificationFeedQuery(project: try project.map(ProjectOption.checked), after: after.flatMap(ULID.canonical)?.description, limit: limit)
    }
}

/// `appctl notifications list [--project P] [--after ID] [--limit N]`.
public struct NotificationListCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "List your notification feed, oldest first.")
    @OptionGroup var filter: FeedFilterOptions
    @Option(name: .long, help: "At most this many items (1…\(NotificationFeedQuery.maxLimit)).") var limit = 100
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Refuses a limit the server would refuse.
    public func validate() throws {
        guard (1...NotificationFeedQuery.maxLimit).contains(limit) else {
            throw ValidationError("--limit must be 1…\(NotificationFeedQuery.maxLimit).")
        }
    }

    /// Lists.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let items = try await client.send(Endpoints.listNotifications, query: try filter.query(limit: limit))
        context.output(try Renderer(format: global.output).render(items) {
            TextTable(headers: ["TIME", "SEVERITY", "TEMPLATE", "SUBJECT"], rows: items.map(Self.row)).render()
        })
    }

    static func row(_ item: NotificationFeedItem) -> [String] { [item.createdAt, item.severity, item.template, item.subject] }
}

/// `appctl notifications watch [--project P] [--after ID] [--count N]`.
public struct NotificationWatchCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "watch", abstract: "Follow your notification feed: print each item as it arrives, until Ctrl-C.",
        discussion: """
            Starts at the present, or with --after ID first replays the items after that event id; then prints \
            each new item as TIME SEVERITY TEMPLATE SUBJECT (one JSON object a line with -o json). When the server \
            closes the stream, watch reconnects with the last event id it printed, so nothing is missed. Ctrl-C exits 0.
            """)
    @OptionGroup var filter: FeedFilterOptions
    @Option(name: .long, help: "Exit after printing this many items.") var count: Int?
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Refuses a count below one.
    public func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1.") }
    }

    /// Follows the stream.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        var query = try filter.query(limit: NotificationFeedQuery.maxLimit)
        if query.after == nil {
            // Start at the present: the newest item so far is where the stream begins.
            query.after = try await Self.newest(client, query)
        }
        let start = query
        let format = global.output, count = self.count
        if format == .csv { throw ValidationError("--output csv is for `appctl billing statement` and `appctl usage summary`.") }
        do {
            try await SignalCancellation.run {
                try await Self.follow(client, start, format: format, count: count, context: context)
            }
        } catch is CancellationError {
            // Ctrl-C: a normal end of watching.
        }
    }

    /// The id of the newest item the filter matches, `nil` for an empty feed.
    static func newest(_ client: PlatformClient, _ query: NotificationFeedQuery) async throws -> String? {
        var query = query, last: String?
        while true {
            let page = try await client.send(Endpoints.listNotifications, query: query)
            guard let id = page.last?.eventId else { return last }
            last = id
            query.after = id
            if page.count < query.limit { return last }
        }
    }

    /// Prints items from the stream, reconnecting after the last printed id when the server ends it.
    static func follow(_ client: PlatformClient, _ start: NotificationFeedQuery, format: OutputFormat, count: Int?,
                       context: CommandContext) async throws {
        var last = start.after, printed = 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        while true {
            var query = start
            query.after = nil
            let stream = try await client.events(Endpoints.streamNotifications, path: NoPath(), query: query, lastEventID: last)
            for try await event in stream {
                let item = event.value
                switch format {
                case .table: context.output(NotificationListCommand.row(item).joined(separator: "  "))
                case .json, .yaml, .csv: context.output(String(decoding: try encoder.encode(item), as: UTF8.self))
                }
                last = item.eventId
                printed += 1
                if let count, printed >= count { return }
            }
            try Task.checkCancellation()
            try await Task.sleep(for: .milliseconds(500))
        }
    }
}

/// `appctl notifications preferences`.
public struct NotificationPreferencesCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "preferences", abstract: "Show or set your notification preferences in a project.",
        subcommands: [PreferencesShowCommand.self, PreferencesSetCommand.self])
    /// Creates the command.
    public init() {}

    static func describe(_ settings: NotificationPreferenceSettings, project: String) -> String {
        """
        Project      \(project)
        Muted        \(settings.muted.isEmpty ? "none" : settings.muted.joined(separator: ", "))
        Email        \(settings.email ?? "none")
        """
    }
}

/// `appctl notifications preferences show --project P`.
public struct PreferencesShowCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "show", abstract: "Show your preferences in a project.")
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Shows.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let settings = try await client.send(Endpoints.getNotificationPreferences, path: .init(project: project))
        context.output(try Renderer(format: global.output).render(settings) { NotificationPreferencesCommand.describe(settings, project: project) })
    }
}

/// `appctl notifications preferences set [--mute T…|--unmute-all] [--email ADDR|--no-email] --project P`.
public struct PreferencesSetCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Change your preferences in a project; what you do not name stays as it is.",
        discussion: "Security and billing notices cannot be muted (notification.preference_locked).")
    @Option(name: .long, help: ArgumentHelp("Mute this template (repeat for more); replaces the muted list.", valueName: "template"))
    var mute: [String] = []
    @Flag(name: .long, help: "Unmute every template.") var unmuteAll = false
    @Option(name: .long, help: ArgumentHelp("Send email notices to this address.", valueName: "address")) var email: String?
    @Flag(name: .long, help: "Send no email notices.") var noEmail = false
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Refuses contradictory options.
    public func validate() throws {
        if unmuteAll && !mute.isEmpty { throw ValidationError("Pass --mute or --unmute-all, not both.") }
        if noEmail && email != nil { throw ValidationError("Pass --email or --no-email, not both.") }
        if mute.isEmpty && !unmuteAll && email == nil && !noEmail {
            throw ValidationError("Nothing to set: pass --mute, --unmute-all, --email or --no-email.")
        }
    }

    /// Reads, changes what was named, writes.
    public func run(in context: CommandContext) async throws {
        let project = try projectOption.resolve(global, in: context)
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        var settings = try await client.send(Endpoints.getNotificationPreferences, path: .init(project: project))
        if unmuteAll { settings.muted = [] } else if !mute.isEmpty { settings.muted = mute }
        if noEmail { settings.email = nil } else if let email { settings.email = email }
        let saved = try await client.send(Endpoints.setNotificationPreferences, path: .init(project: project), body: settings)
        context.output(try Renderer(format: global.output).render(saved) { NotificationPreferencesCommand.describe(saved, project: project) })
    }
}

/// `appctl notifications dead-letters`.
public struct DeadLetterCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "dead-letters", abstract: "List and retry outbox intents that failed every delivery attempt (platform admins).",
        subcommands: [DeadLetterListCommand.self, DeadLetterRetryCommand.self])
    /// Creates the command.
    public init() {}
}

/// `appctl notifications dead-letters list [--limit N]`.
public struct DeadLetterListCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "List dead-lettered intents, oldest first.")
    @Option(name: .long, help: "At most this many (1…1000).") var limit = 100
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Refuses a limit the server would refuse.
    public func validate() throws {
        guard (1...1000).contains(limit) else { throw ValidationError("--limit must be 1…1000.") }
    }

    /// Lists.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        let intents = try await client.send(Endpoints.listDeadLetters, query: DeadLettersQuery(limit: limit))
        context.output(try Renderer(format: global.output).render(intents) {
            TextTable(headers: ["EVENT", "TOPIC", "ATTEMPTS", "CREATED", "LAST ERROR"], rows: intents.map {
                [$0.eventId, $0.topic, String($0.attempts), $0.createdAt, $0.lastError ?? "-"]
            }).render()
        })
    }
}

/// `appctl notifications dead-letters retry EVENT_ID`.
public struct DeadLetterRetryCommand: AppCtlCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Put a dead-lettered intent back to pending; the dispatcher delivers it again.")
    @Argument(help: "The event id (from dead-letters list).") var event: String
    @OptionGroup var global: GlobalOptions
    /// Creates the command.
    public init() {}

    /// Retries.
    public func run(in context: CommandContext) async throws {
        let client = PlatformClient(target: try ServerTarget.resolve(global, in: context))
        _ = try await client.send(Endpoints.retryDeadLetter, path: DeadLetterPath(event: event))
        context.output(try Renderer(format: global.output).render(["retried": event]) { "\(event) is pending again" })
    }
}
