import Foundation
import PlatformContracts
import PlatformStore
import PlatformTestKit
import SQLKit
import Testing

/// Group commit: concurrent writes share transactions, and one that fails is rolled back
/// alone (its savepoint), on both backends.
@Suite("Write batcher (group commit)")
struct WriteBatcherTests {
    @Test("60 concurrent writes all commit; a failing one and a duplicate key fail alone", arguments: Backend.enabled)
    func groupCommit(backend: Backend) async throws {
        struct Abort: Error {}
        try await withMigratedStore(backend) { store, _, _ async throws in
            try await store.transaction { db in try await insertItem(db, name: "taken", quantity: 1) }
            let batcher = WriteBatcher(store: store, maximumBatch: 16)
            let outcomes = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for index in 0..<60 {
                    group.addTask {
                        do {
                            try await batcher.write { db in
                                try await insertItem(db, name: index == 7 ? "taken" : "item-\(index)", quantity: Int64(index))
                                if index == 13 { throw Abort() }
                            }
                            return (index, "ok")
                        } catch is Abort {
                            return (index, "abort")
                        } catch let error as PlatformError {
                            return (index, error.code.rawValue)
                        }
                    }
                }
                var outcomes: [Int: String] = [:]
                for try await (index, outcome) in group { outcomes[index] = outcome }
                return outcomes
            }
            #expect(outcomes[13] == "abort")
            #expect(outcomes[7] != "ok", "a duplicate key fails its own write: \(outcomes[7] ?? "-")")
            #expect(outcomes.filter { $0.value == "ok" }.count == 58, "\(outcomes)")
            #expect(try await countItems(store, name: "item-13") == 0, "the thrown write left nothing behind")
            #expect(try await countItems(store, name: "item-12") == 1)
            #expect(try await countItems(store, name: "item-59") == 1)
            #expect(try await countItems(store, name: "taken") == 1)
        }
    }
}
