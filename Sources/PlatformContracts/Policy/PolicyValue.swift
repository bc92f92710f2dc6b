/// The type of a policy's value, from the policy registry's `type`.
public enum PolicyType: String, Sendable, Codable, CaseIterable {
    /// A whole number (a quota or limit); `-1` nowhere means "unlimited": absent limits are spelled by omission.
    case integer
    /// A feature flag: on or off (OpenFeature's boolean flag).
    case flag
    /// A list of strings (allowed GPU models, allowed artifact types); empty means "any".
    case list
    /// Whole numbers by name (GPUs in use by model: `{"H100": 8}`); a missing name is unlimited.
    case integerMap = "integer_map"
}

/// A policy value, encoded as its natural JSON (number, boolean, array, object).
public enum PolicyValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case integer(Int64)
    case flag(Bool)
    case list([String])
    case integerMap([String: Int64])

    /// The value's type.
    public var type: PolicyType {
        switch self {
        case .integer: .integer
        case .flag: .flag
        case .list: .list
        case .integerMap: .integerMap
        }
    }

    /// Decodes a number, boolean, array of strings or object of numbers.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            self = .flag(flag)
        } else if let number = try? container.decode(Int64.self) {
            self = .integer(number)
        } else if let list = try? container.decode([String].self) {
            self = .list(list)
        } else if let map = try? container.decode([String: Int64].self) {
            self = .integerMap(map)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "a policy value is an integer, a boolean, a list of strings or a map of integers")
        }
    }

    /// Encodes as natural JSON.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .integer(let value): try container.encode(value)
        case .flag(let value): try container.encode(value)
        case .list(let value): try container.encode(value)
        case .integerMap(let value): try container.encode(value)
        }
    }

    /// Parses the CLI's text form for a value of `type`: `20`, `true`/`false`, `a,b`, `H100=8,A100=4`.
    /// - Throws: ``ErrorCode/policyValueInvalid``.
    public static func parse(_ text: String, as type: PolicyType) throws(PlatformError) -> PolicyValue {
        let trimmed = Self.trim(text)
        switch type {
        case .integer:
            guard let number = Int64(trimmed), number >= 0 else {
                throw PlatformError(.policyValueInvalid, "expected a whole number ≥ 0, not \(text)")
            }
            return .integer(number)
        case .flag:
            switch trimmed.lowercased() {
            case "true", "on": return .flag(true)
            case "false", "off": return .flag(false)
            default: throw PlatformError(.policyValueInvalid, "expected true/false (or on/off), not \(text)")
            }
        case .list:
            return .list(trimmed.isEmpty ? [] : trimmed.split(separator: ",").map { Self.trim(String($0)) })
        case .integerMap:
            var map: [String: Int64] = [:]
            for part in trimmed.split(separator: ",") where !part.isEmpty {
                let pair = part.split(separator: "=", maxSplits: 1).map { Self.trim(String($0)) }
                guard pair.count == 2, !pair[0].isEmpty, let number = Int64(pair[1]), number >= 0 else {
                    throw PlatformError(.policyValueInvalid, "expected NAME=N[,NAME=N…], not \(text)")
                }
                map[pair[0]] = number
            }
            return .integerMap(map)
        }
    }

    /// The CLI's text form (the inverse of ``parse(_:as:)``).
    public var description: String {
        switch self {
        case .integer(let value): String(value)
        case .flag(let value): value ? "true" : "false"
        case .list(let value): value.joined(separator: ",")
        case .integerMap(let value): value.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        }
    }

    private static func trim(_ text: String) -> String {
        String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
