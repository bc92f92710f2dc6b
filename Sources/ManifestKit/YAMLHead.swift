import PlatformContracts
import Yams

/// Decodes typed fields out of a manifest that has already been validated.
public enum YAMLHead {
    /// Decodes `T` from YAML text, refusing (``PlatformContracts/ErrorCode/manifestsTooComplex``)
    /// text whose aliases would expand past ``PlatformContracts/DocumentLimits/standard``.
    public static func decode<T: Decodable>(_ type: T.Type, from text: String, file: String = "manifest") throws -> T {
        do {
            try DocumentLimits.standard.check(yaml: text)
        } catch {
            throw error.platformError(file: file)
        }
        return try YAMLDecoder().decode(T.self, from: text)
    }
}
