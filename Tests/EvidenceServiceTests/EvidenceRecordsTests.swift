import Foundation
import Logging
import PlatformContracts
import PlatformStore
import PlatformTestKit
import SQLKit
import Testing
@testable import EvidenceService

/// The operating record (`evidence_records`) on both backends: written alone or inside a
/// caller's transaction, read back by subject with its facts.
@Suite("Evidence records")
struct EvidenceRecordsTests {
    enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case sqlite, postgres
        var testDescription: String { rawValue }
        static var enabled: [Backend] { PostgresServer.isEnabled ? [.sqlite, .postgres] : [.sqlite] }
    }

    static let logger = Logger(label: "evidence-records-test") { _ in SwiftLogNoOpLogHandler() }

    func withRecords(_ backend: Backend, _ body: (SQLStore, EvidenceRecords) async throws -> Void) async throws {
        try await withTemporaryDirectory { directory async throws in
            let location: DatabaseLocation = switch backend {
            case .sqlite: .sqlite(path: directory.appending("platform.db").path)
            case .postgres: try DatabaseLocation(url: try await PostgresServer.shared.makeDatabase())
            }
            let store = try await SQLStore.open(location, logger: Self.logger)
            do {
                try await Migrator(store: store, sets: [EvidenceSchema.migrations], logger: Self.logger).migrate()
                try await body(store, EvidenceRecords(store: store))
                await store.shutdown()
            } catch {
                await store.shutdown()
                throw error
            }
        }
    }

    @Test("a record attached alone and one inserted inside a rolled-back transaction: only the first is there, facts intact", arguments: Backend.enabled)
    func recordsRoundTripAndFollowTheirTransaction(backend: Backend) async throws {
        try await withRecords(backend) { store, records in
            let document = ContentDigest(sha256Bytes: [UInt8](repeating: 7, count: 32))
            let scan = EvidenceRecord(type: "security-scan", subject: "release/01JREL", document: document,
                                      predicateType: "https://platform.local/evidence/security-scan/v1", keyId: "sha256:key", signer: "01JDEV",
                                      attachedBy: "01JDEV", projectId: "01JPROJ", retentionClass: "release",
                                      facts: ["format": "sarif-2.1", "highest_severity": "high", "findings": "3"])
            try await records.attach(scan)
            struct Rollback: Error {}
            await #expect(throws: Rollback.self) {
                try await store.transaction { db in
                    try await EvidenceRecords.insert(EvidenceRecord(type: "uat-result", subject: "release/01JREL", document: document), in: db)
                    throw Rollback()
                }
            }
            try await store.transaction { db in
                try await EvidenceRecords.insert(EvidenceRecord(type: "uat-result", subject: "release/01JREL", document: document,
                                                                recordedAt: "2099-01-01T00:00:00.000Z"), in: db)
            }
            let found = try await records.evidence(for: "release/01JREL")
            #expect(found.map(\.type) == ["security-scan", "uat-result"])
            var stored = try #require(found.first)
            #expect(!stored.recordedAt.isEmpty)
            stored.recordedAt = ""
            #expect(stored == scan)
            #expect(found.last?.projectId == nil && found.last?.retentionClass == "release")
            #expect(try await records.evidence(for: "release/other").isEmpty)
        }
    }
}
