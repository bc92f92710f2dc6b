import ArgumentParser

/// A lifetime written as `30d`, `12h`, `90m`, `45s` or plain seconds.
public struct LifetimeArgument: ExpressibleByArgument, Sendable, Equatable {
    /// Seconds.
    public let seconds: Int64

    /// Parses the text.
    public init?(argument: String) {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        if let value = Int64(argument), value > 0 {
            seconds = value
        } else if let unit = argument.last, let factor = units[unit], let value = Int64(argument.dropLast()), value > 0 {
            seconds = value * factor
        } else {
            return nil
        }
    }

    /// Describes accepted forms in help.
    public static var defaultCompletionKind: CompletionKind { .default }

    /// The default as help shows it (`5m`, not the type's dump), in its largest whole unit.
    public var defaultValueDescription: String {
        for (unit, factor) in [("w", Int64(604_800)), ("d", 86_400), ("h", 3600), ("m", 60)] where seconds % factor == 0 {
            return "\(seconds / factor)\(unit)"
        }
        return "\(seconds)s"
    }
}
