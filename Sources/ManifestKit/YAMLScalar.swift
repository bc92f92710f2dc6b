/// A YAML scalar read as text whatever its YAML type (`8080`, `true`, `"x"`): what a
/// manifest's `${params.NAME}` substitutes and what the console's launch form shows, read in
/// one order (string, integer, number, boolean) by the launch and the form alike.
public struct YAMLScalar: Decodable, Sendable, Hashable {
    /// The scalar as text.
    public var text: String

    /// Creates a scalar from its text.
    public init(text: String) { self.text = text }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(String.self) {
            text = value
        } else if let value = try? container.decode(Int.self) {
            text = String(value)
        } else if let value = try? container.decode(Double.self) {
            text = String(value)
        } else if let value = try? container.decode(Bool.self) {
            text = String(value)
        } else {
            text = ""
        }
    }
}
