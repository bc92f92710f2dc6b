import Foundation
import PlatformContracts
import PlatformStore
import PlatformTestKit
import SQLKit
import Testing

/// ``TextPolicy``'s free-text rule on both backends: every character but NUL is stored and
/// read back byte for byte (no normalisation, no truncation, no re-encoding).
@Suite("Free text round-trips through the store")
struct FreeTextRoundTripTests {
    static let samples: [String] = [
        "ESC \u{1B}[31mred\u{1B}[0m", "line\u{2028}separator\u{2029}", "next\u{85}line", "\u{FEFF}bom first", "rlo \u{202E}txet",
        "tab\tcr\r\nlf", "DEL\u{7F}", "C1 \u{9B}", "e\u{301} and \u{E9}", "🚀 名前 café", "zero\u{200B}width", "private \u{E000}",
    ]

    @Test("free text without NUL reads back byte for byte", arguments: Backend.enabled)
    func freeTextRoundTrips(backend: Backend) async throws {
        try await withMigratedStore(backend) { store, _, _ in
            for (index, text) in Self.samples.enumerated() {
                try TextPolicy.requireFreeText(text, field: "sample")
                try await store.transaction { db in try await insertItem(db, id: "item-\(index)", name: text, quantity: Int64(index)) }
            }
            let rows = try await store.read { db in
                try await db.select().columns("id", "name").from("conformance_items").orderBy("quantity").all()
            }
            let names = try rows.map { try $0.decode(column: "name", as: String.self) }
            #expect(names.map { Array($0.utf8) } == Self.samples.map { Array($0.utf8) })
            // And each is found again by an equality lookup on its exact bytes.
            for text in Self.samples {
                #expect(try await countItems(store, name: text) == 1, "\(text.debugDescription)")
            }
        }
    }
}
