import Yams

/// Decodes typed fields out of a manifest that has already been validated.
public enum YAMLHead {
    /// Decodes `T` from YAML text.
    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try YAMLDecoder().decode(T.self, from: text)
    }
}
