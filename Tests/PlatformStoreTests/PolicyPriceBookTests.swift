import PlatformContracts
import PlatformStore
import PlatformTestKit
import PolicyService
import Testing

/// The price book reaches rating only through the policy snapshot, so every snapshot must
/// carry one: the registry's snapshot, each change's, and rows written before snapshots had one.
@Suite("PolicyPriceBook")
struct PolicyPriceBookTests {
    static let book = PriceBook(version: 1, currency: "USD", assetScale: 6, entries: [
        PriceBook.Entry(plan: "*", unit: "gpu-hour.h100", unitPrice: 2_500_000, effectiveFrom: Timestamp(millisecondsSinceEpoch: 0)),
    ])

    @Test("every snapshot carries the price book: the first, each change's, and the current read", arguments: Backend.enabled)
    func everySnapshotCarriesThePriceBook(backend: Backend) async throws {
        try await withPolicyStore(backend) { store in
            let policy = makePolicyService(store, priceBook: Self.book)
            #expect(try await policy.load().priceBook == Self.book)
            let changed = try await policy.set("quota.gpus", .integer(3), at: .project("p1"), by: PrincipalID("admin"), requestID: nil)
            #expect(changed.priceBook == Self.book)
            #expect(try await policy.snapshot(for: .financial).priceBook == Self.book)
            #expect(await policy.read().snapshot.priceBook == Self.book)
            #expect(try await policy.history().allSatisfy { $0.priceBook == Self.book })
        }
    }

    @Test("a snapshot written without a price book gets a new snapshot with the registry's at start; old rows read back with it",
          arguments: Backend.enabled)
    func snapshotWithoutPriceBookGetsTheRegistrys(backend: Backend) async throws {
        try await withPolicyStore(backend) { store in
            let old = try await makePolicyService(store).load()
            #expect(old.priceBook == nil)
            let policy = makePolicyService(store, priceBook: Self.book)
            let current = try await policy.load()
            #expect(current.version == old.version + 1 && current.priceBook == Self.book)
            #expect(try await policy.snapshot(id: old.id)?.priceBook == Self.book)

            var repriced = Self.book
            repriced.version = 2
            repriced.entries[0].unitPrice = 3_000_000
            let next = try await makePolicyService(store, priceBook: repriced).load()
            #expect(next.version == current.version + 1 && next.priceBook == repriced)
            #expect(try await makePolicyService(store, priceBook: repriced).load() == next)
        }
    }
}
