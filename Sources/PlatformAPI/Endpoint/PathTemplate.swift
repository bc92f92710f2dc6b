import Foundation

/// An endpoint's path as literal segments and typed parameters, written as a string with
/// interpolated ``PathParameter``s: `"/v1/projects/\(.project)/instances"`. The router's
/// pattern, the OpenAPI path and the client's URL are all rendered from it.
public struct PathTemplate: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringInterpolation {
    /// One piece of the path.
    public enum Piece: Sendable, Hashable {
        /// Text copied as is (may hold several `/`-separated segments).
        case literal(String)
        /// A parameter filling one whole segment.
        case parameter(PathParameter)
    }

    /// The pieces in order.
    public let pieces: [Piece]

    /// Builds the template from the interpolation.
    public init(stringInterpolation: Interpolation) { pieces = stringInterpolation.pieces }

    /// A template without parameters.
    public init(stringLiteral value: String) { pieces = [.literal(value)] }

    /// Collects literal text and parameters.
    public struct Interpolation: StringInterpolationProtocol {
        var pieces: [Piece] = []
        /// Reserves nothing; templates are short.
        public init(literalCapacity: Int, interpolationCount: Int) {}
        /// Literal text.
        public mutating func appendLiteral(_ literal: String) { if !literal.isEmpty { pieces.append(.literal(literal)) } }
        /// A parameter segment.
        public mutating func appendInterpolation(_ parameter: PathParameter) { pieces.append(.parameter(parameter)) }
    }

    /// The parameters in path order.
    public var parameters: [PathParameter] {
        pieces.compactMap { if case .parameter(let parameter) = $0 { parameter } else { nil } }
    }

    /// `/v1/projects/{project}/instances` (OpenAPI's form; also the form the docs show).
    public var description: String { render { "{\($0.rawValue)}" } }

    /// `/v1/projects/:project/instances` (the router's form).
    public var routerPattern: String { render { ":\($0.rawValue)" } }

    /// The path with each parameter's value percent-encoded as one segment.
    public func path(_ value: (PathParameter) -> String) -> String {
        render { value($0).addingPercentEncoding(withAllowedCharacters: Self.segmentCharacters) ?? "" }
    }

    func render(_ parameter: (PathParameter) -> String) -> String {
        pieces.map {
            switch $0 {
            case .literal(let text): text
            case .parameter(let name): parameter(name)
            }
        }.joined()
    }

    /// RFC 3986 unreserved characters: everything else in a value is escaped, `/` included,
    /// so a value never changes the shape of the path.
    static let segmentCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
}
