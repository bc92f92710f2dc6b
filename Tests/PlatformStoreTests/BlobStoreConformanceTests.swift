import Crypto
import Foundation
import PlatformContracts
import PlatformStore
import PlatformTestKit
import Testing

/// The blob store drivers every conformance test runs against.
enum BlobDriver: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case filesystem
    case memory

    var testDescription: String { rawValue }

    func withStore(_ body: (any BlobStore) async throws -> Void) async throws {
        switch self {
        case .memory:
            try await body(MemoryBlobStore())
        case .filesystem:
            try await withTemporaryDirectory { directory async throws in
                try await body(try FileSystemBlobStore(root: directory.appending("blobs")))
            }
        }
    }
}

func digest(of data: Data) -> ContentDigest {
    ContentDigest(sha256Bytes: SHA256.hash(data: data))
}

/// The conformance checks, each run against an empty store of a driver: the fast tier runs
/// them on the filesystem and memory drivers, `S3BlobStoreTests` on S3 (moto).
enum BlobStoreConformance {
    /// Every check with its title, for drivers that run them in one loop.
    static let checks: [(title: String, run: @Sendable (any BlobStore) async throws -> Void)] = [
        ("a blob written and read back round-trips its digest", roundTrip),
        ("bytes that do not match the claimed digest leave nothing visible", mismatchLeavesNothing),
        ("a blob written in chunks commits once and the writer closes", chunkedWrite),
        ("a cancelled write leaves nothing", cancelledWrite),
        ("writing an existing blob again is idempotent", idempotentPut),
        ("byte ranges read exactly and out-of-range is blob.range_invalid", ranges),
        ("delete removes a blob and reports whether one was there", delete),
        ("the empty blob is a blob", emptyBlob),
        ("a stored blob has a store time and a delivery that hands out its bytes", storeTimeAndDelivery),
    ]

    /// A blob written and read back round-trips its digest.
    static func roundTrip(_ store: any BlobStore) async throws {
        let data = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let expected = digest(of: data)
        let info = try await store.put(data, expecting: expected)
        #expect(info == BlobInfo(digest: expected, size: 200_000))
        #expect(try await store.info(expected) == info)
        let back = try await store.readAll(expected)
        #expect(back == data)
        #expect(digest(of: back) == expected)
        #expect(try await store.digests() == [expected])
    }

    /// Bytes that do not match the claimed digest leave nothing visible.
    static func mismatchLeavesNothing(_ store: any BlobStore) async throws {
        let claimed = digest(of: Data("what I promised".utf8))
        let error = await #expect(throws: PlatformError.self) {
            try await store.put(Data("what I sent".utf8), expecting: claimed)
        }
        #expect(error?.code == .blobDigestMismatch)
        #expect(try await store.info(claimed) == nil)
        #expect(try await store.info(digest(of: Data("what I sent".utf8))) == nil)
        #expect(try await store.digests().isEmpty)
        await #expect(throws: PlatformError(.blobNotFound)) { _ = try await store.readAll(claimed) }
    }

    /// A blob written in chunks commits once and the writer closes.
    static func chunkedWrite(_ store: any BlobStore) async throws {
        let parts = ["alpha-", "beta-", "gamma"].map { Data($0.utf8) }
        let whole = parts.reduce(Data(), +)
        let writer = try await store.makeWriter()
        for part in parts { try await writer.write(part) }
        #expect(await writer.size == Int64(whole.count))
        #expect(await #expect(throws: PlatformError.self) {
            try await writer.commit(expecting: digest(of: Data("wrong".utf8)))
        }?.code == .blobDigestMismatch)
        #expect(try await store.info(digest(of: whole)) == nil)
        await #expect(throws: PlatformError(.blobUploadClosed)) { try await writer.write(Data("more".utf8)) }

        let second = try await store.makeWriter()
        for part in parts { try await second.write(part) }
        try await second.commit(expecting: digest(of: whole))
        #expect(try await store.readAll(digest(of: whole)) == whole)
        await #expect(throws: PlatformError(.blobUploadClosed)) { try await second.commit(expecting: digest(of: whole)) }
    }

    /// A cancelled write leaves nothing.
    static func cancelledWrite(_ store: any BlobStore) async throws {
        let writer = try await store.makeWriter()
        try await writer.write(Data("half an upload".utf8))
        await writer.cancel()
        #expect(try await store.digests().isEmpty)
    }

    /// Writing an existing blob again is idempotent.
    static func idempotentPut(_ store: any BlobStore) async throws {
        let data = Data("same bytes".utf8)
        try await store.put(data, expecting: digest(of: data))
        try await store.put(data, expecting: digest(of: data))
        #expect(try await store.digests() == [digest(of: data)])
    }

    /// Byte ranges read exactly and out-of-range is blob.range_invalid.
    static func ranges(_ store: any BlobStore) async throws {
        let data = Data("0123456789".utf8)
        let id = digest(of: data)
        try await store.put(data, expecting: id)
        var collected = Data()
        for try await chunk in try await store.read(id, range: 2...5) { collected.append(chunk) }
        #expect(String(decoding: collected, as: UTF8.self) == "2345")
        await #expect(throws: PlatformError(.blobRangeInvalid)) { _ = try await store.read(id, range: 5...10) }
    }

    /// Delete removes a blob and reports whether one was there.
    static func delete(_ store: any BlobStore) async throws {
        let data = Data("short-lived".utf8)
        try await store.put(data, expecting: digest(of: data))
        #expect(try await store.delete(digest(of: data)))
        #expect(try await store.delete(digest(of: data)) == false)
        #expect(try await store.info(digest(of: data)) == nil)
    }

    /// The empty blob is a blob.
    static func emptyBlob(_ store: any BlobStore) async throws {
        let id = digest(of: Data())
        #expect(id.description == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        try await store.put(Data(), expecting: id)
        #expect(try await store.readAll(id).isEmpty)
        #expect(try await store.info(id)?.size == 0)
    }

    /// A stored blob has a store time and a delivery that hands out its bytes.
    static func storeTimeAndDelivery(_ store: any BlobStore) async throws {
        let data = Data("delivered".utf8)
        let id = digest(of: data)
        let before = Date().addingTimeInterval(-120)
        try await store.put(data, expecting: id)
        let stored = try #require(try await store.storedAt(id))
        #expect(stored > before && stored < Date().addingTimeInterval(120))
        switch try await store.delivery(id) {
        case .file(let path): #expect(FileManager.default.contents(atPath: path) == data)
        case .stream: #expect(try await store.readAll(id) == data)
        case .redirect(let url): #expect(try await BlobRedirect.fetch(url) == data)
        }
    }
}

/// One conformance suite for every blob store driver (S3's run is `S3BlobStoreTests`).
@Suite("Blob store conformance")
struct BlobStoreConformanceTests {
    @Test("a blob written and read back round-trips its digest", arguments: BlobDriver.allCases)
    func roundTrip(driver: BlobDriver) async throws {
        try await driver.withStore(BlobStoreConformance.roundTrip)
    }

    @Test("bytes that do not match the claimed digest leave nothing visible", arguments: BlobDriver.allCases)
    func mismatchLeavesNothing(driver: BlobDriver) async throws {
        try await driver.withStore(BlobStoreConformance.mismatchLeavesNothing)
    }

    @Test("a blob written in chunks commits once and the writer closes", arguments: BlobDriver.allCases)
    func chunkedWrite(driver: BlobDriver) async throws {
        try await driver.withStore(BlobStoreConformance.chunkedWrite)
    }

    @Test("a cancelled write leaves nothing", arguments: BlobDriver.allCases)
    func cancelledWrite(driver: BlobDriver) async throws {
        try await driver.withStore(BlobStoreConformance.cancelledWrite)
    }

    @Test("writing an existing blob again is idempotent", arguments: BlobDriver.allCases)
    func idempotentPut(driver: BlobDriver) async throws {
        try await driver.withStore(BlobStoreConformance.idempotentPut)
    }

    @Test("byte ranges read exactly and out-of-range is blob.range_invalid", arguments: BlobDriver.allCases)
    func ranges(driver: BlobDriver) async throws {
        try await driver.withStore(BlobStoreConformance.ranges)
    }

    @Test("delete removes a blob and reports whether one was there", arguments: BlobDriver.allCases)
    func delete(driver: BlobDriver) async throws {
        try await driver.withStore(BlobStoreConformance.delete)
    }

    @Test("the empty blob is a blob", arguments: BlobDriver.allCases)
    func emptyBlob(driver: BlobDriver) async throws {
        try await driver.withStore(BlobStoreConformance.emptyBlob)
    }

    @Test("a stored blob has a store time and a delivery that hands out its bytes", arguments: BlobDriver.allCases)
    func storeTimeAndDelivery(driver: BlobDriver) async throws {
        try await driver.withStore(BlobStoreConformance.storeTimeAndDelivery)
    }
}

@Suite("Filesystem blob store layout")
struct FileSystemBlobLayoutTests {
    @Test("blobs live at sha256/<2 hex>/<hex> and staging is empty after commit or mismatch")
    func layout() async throws {
        try await withTemporaryDirectory { directory async throws in
            let root = directory.appending("blobs")
            let store = try FileSystemBlobStore(root: root)
            let data = Data("layout".utf8)
            let id = digest(of: data)
            try await store.put(data, expecting: id)
            let expectedPath = root.appendingPathComponent("sha256/\(id.hex.prefix(2))/\(id.hex)").path
            #expect(store.path(for: id).path == expectedPath)
            #expect(FileManager.default.contents(atPath: expectedPath) == data)
            _ = try? await store.put(Data("x".utf8), expecting: id)
            #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("_uploads").path).isEmpty)
        }
    }

    @Test("an upload killed mid-write stays invisible, and a tampered file is not listed under a bad name")
    func killedUploadInvisible() async throws {
        try await withTemporaryDirectory { directory async throws in
            let root = directory.appending("blobs")
            let store = try FileSystemBlobStore(root: root)
            // What a killed process leaves: a staged file that was never renamed.
            let staged = root.appendingPathComponent("_uploads/dead-upload")
            try Data("partial".utf8).write(to: staged)
            try FileManager.default.createDirectory(at: root.appendingPathComponent("sha256/zz"), withIntermediateDirectories: true)
            try Data().write(to: root.appendingPathComponent("sha256/zz/not-a-digest"))
            #expect(try await store.digests().isEmpty)
            #expect(try await store.info(digest(of: Data("partial".utf8))) == nil)
            // A new store over the same folder (a restart) sees the same.
            #expect(try await FileSystemBlobStore(root: root).digests().isEmpty)
        }
    }

    @Test("concurrent writers of the same blob end with one intact copy")
    func concurrentSameBlob() async throws {
        try await withTemporaryDirectory { directory async throws in
            let store = try FileSystemBlobStore(root: directory.appending("blobs"))
            let data = Data(repeating: 7, count: 300_000)
            let id = digest(of: data)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 { group.addTask { try await store.put(data, expecting: id) } }
                try await group.waitForAll()
            }
            #expect(try await store.digests() == [id])
            #expect(try await store.readAll(id) == data)
        }
    }
}
