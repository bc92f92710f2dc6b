import ArgumentParser
import Foundation
import Yams

/// Prints a command's result in the chosen ``OutputFormat``: JSON and YAML from the same
/// `Encodable` value, the table from the command's own layout.
public struct Renderer: Sendable {
    /// The chosen format.
    public let format: OutputFormat

    /// Creates a renderer.
    public init(format: OutputFormat) {
        self.format = format
    }

    /// Renders `value`.
    /// - Parameters:
    ///   - value: What JSON and YAML print.
    ///   - table: What the table format prints.
    public func render<Value: Encodable>(_ value: Value, table: () -> String) throws -> String {
        switch format {
        case .table:
            return table()
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        case .yaml:
            let encoder = YAMLEncoder()
            encoder.options.sortKeys = true
            return try encoder.encode(value).trimmingCharacters(in: .newlines)
        case .csv:
            throw ValidationError("--output csv is for `appctl billing statement` and `appctl usage summary`; use table, json or yaml here.")
        }
    }
}

/// Left-aligned columns separated by two spaces, headers in capitals.
public struct TextTable: Sendable {
    /// Column headers.
    public var headers: [String]
    /// Rows of cells.
    public var rows: [[String]]

    /// Creates a table.
    public init(headers: [String], rows: [[String]]) {
        self.headers = headers
        self.rows = rows
    }

    /// The aligned text, without trailing spaces.
    public func render() -> String {
        let all = [headers] + rows
        let widths = headers.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }
            .joined(separator: "  ")
            .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        .joined(separator: "\n")
    }
}
