import SQLKit

/// Multi-row statements for the rating pass: one INSERT or DELETE per chunk of rows instead
/// of one per row, so a pass of hundreds of events costs a handful of round trips (on
/// PostgreSQL each statement is a network round trip; a pass used to make several per event).
enum BatchSQL {
    /// Bind parameters per statement, under SQLite's default limit (32766) and PostgreSQL's (65535).
    static let maxBinds = 30_000

    /// Inserts `rows` (each one value per column) in as few statements as the bind limit allows.
    /// - Parameter ignoringConflicts: `ON CONFLICT DO NOTHING` (rows that already exist stay as they are).
    static func insert(into table: String, columns: [String], rows: [[any Encodable & Sendable]], ignoringConflicts: Bool = false,
                       in db: any SQLDatabase) async throws {
        let perStatement = max(1, maxBinds / max(1, columns.count))
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(rows.count, start + perStatement)]
            var builder = db.insert(into: table).columns(columns)
            for row in chunk { builder = builder.values(row) }
            if ignoringConflicts { builder = builder.ignoringConflicts() }
            try await builder.run()
            start += perStatement
        }
    }

    /// `values` in chunks that fit one statement's bind limit (with `reserved` other binds).
    static func chunks<T>(_ values: [T], reserved: Int = 1) -> [ArraySlice<T>] {
        let size = max(1, maxBinds - reserved)
        return stride(from: 0, to: values.count, by: size).map { values[$0..<min(values.count, $0 + size)] }
    }
}
