import AuditService
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import OCIKit
import PlatformContracts
import PlatformServer
import PlatformStore
import PlatformTestKit
import SQLKit
import Testing
import TransparencyLog

/// Finding: one NUL in a launch request's app name was audited raw; SQLite handed the
/// target back cut at the NUL, PostgreSQL could not store it, and from then on the whole
/// audit log failed to verify. ``TextPolicy`` refuses such identifiers at the edge and the
/// audit log stores (and hashes) its canonical form, on both backends.
@Suite("Text policy at the HTTP edge and in the audit log")
struct TextPolicyProcessTests {
    static let hostile: [(String, String)] = [
        ("NUL", "\u{0}"), ("ESC", "\u{1B}[2J"), ("U+2028", "\u{2028}"), ("U+0085", "\u{85}"), ("BOM", "\u{FEFF}"), ("RLO", "\u{202E}"),
    ]

    @Test("a launch whose app name holds NUL is refused with validation.invalid_text and the audit log still verifies",
          arguments: ServerBackend.enabled)
    func nulInLaunchedAppNameLeavesAuditVerifiable(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let (_, project, _, key) = try await fixture.makeProject(tenant: "acme", project: "vision", account: "ci")
            let reply = try await fixture.call(.post, "/v1/projects/\(project.id)/instances", key: key.key, body: ["app": "x\u{0}y"])
            #expect(reply.status == .badRequest)
            #expect(reply.errorCode == "validation.invalid_text", "\(String(decoding: reply.body, as: UTF8.self))")
            #expect(!String(decoding: reply.body, as: UTF8.self).contains("\u{0}"))
            // The refusal as the service records it when a value gets past the edge.
            try await fixture.server.audit.record(AuditEvent(
                actor: PrincipalID("tester"), action: "apps.instance.refuse", target: "app/\(project.id)/x\u{0}y@latest",
                outcome: .denied, details: ["message": "x\u{0}y has no version"], project: project.id))
            // Later records are still checked: an edit after it is found and named.
            try await fixture.server.audit.record(AuditEvent(actor: PrincipalID("tester"), action: "iam.access.denied", target: "later", outcome: .denied))
            let export = try await fixture.server.store.read { db in try await fixture.server.audit.exportSnapshot(db) }
            let report = AuditLogVerifier.verify(export)
            #expect(report.valid, "\(report.problems)")
            #expect(export.entries.contains { $0.record.target == "app/\(project.id)/x\\u{0}y@latest" })
            let last = export.size
            try await fixture.server.store.transaction { db in
                try await db.update("audit_log").set("target", to: SQLBind("rewritten")).where("seq", .equal, last).run()
            }
            let edited = AuditLogVerifier.verify(try await fixture.server.store.read { db in try await fixture.server.audit.exportSnapshot(db) })
            #expect(edited.problems.map(\.sequence) == [last])
        }
    }

    @Test("audit records holding NUL, ESC, U+2028, U+0085, BOM and RLO read back exactly as hashed", arguments: ServerBackend.enabled)
    func hostileTextRoundTripsThroughTheAuditLog(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let audit = fixture.server.audit
            var written: [AuditRecord] = []
            for (name, value) in Self.hostile {
                let record = try await fixture.server.store.transaction { db in
                    try await audit.append(
                        AuditEvent(actor: PrincipalID("tester\(value)"), action: "iam.access.denied", target: "thing/\(value)/\(name)",
                                   outcome: .denied, requestID: "r\(value)", details: ["message": "free \(value) text", "k\(value)": "v"]),
                        tenant: "t\(value)", in: db)
                }
                written.append(record)
            }
            let export = try await fixture.server.store.read { db in try await audit.exportSnapshot(db) }
            for record in written {
                let stored = try #require(export.entries.first { $0.record.sequence == record.sequence }?.record)
                // Byte for byte, not String's canonical equivalence.
                #expect(AuditHashing.canonicalJSON(stored) == AuditHashing.canonicalJSON(record), "\(record.target)")
                #expect(Array(stored.target.utf8) == Array(TextPolicy.escapedIdentifier(record.target).utf8))
            }
            // Free text keeps every character but NUL, exactly.
            let esc = try #require(written.first { $0.target.hasSuffix("/ESC") })
            #expect(Array(esc.details["message"]!.utf8) == Array("free \u{1B}[2J text".utf8))
            #expect(esc.target == "thing/\\u{1B}[2J/ESC")
            let bom = try #require(written.first { $0.target.hasSuffix("/BOM") })
            #expect(Array(bom.details["message"]!.utf8) == Array("free \u{FEFF} text".utf8))
            let nul = try #require(written.first { $0.target.hasSuffix("/NUL") })
            #expect(nul.details["message"] == "free \\u{0} text")
            let report = AuditLogVerifier.verify(export)
            #expect(report.valid, "\(report.problems)")
        }
    }

    @Test("identifiers with control, separator or format characters are refused at every edge; lone surrogates are not JSON",
          arguments: ServerBackend.enabled)
    func identifiersAreCheckedAtTheEdge(backend: ServerBackend) async throws {
        try await withIAMServer(backend) { fixture in
            let (_, project, account, key) = try await fixture.makeProject(tenant: "acme", project: "vision", account: "ci")
            let admin = fixture.adminKey
            let refused: [(HTTPRequest.Method, String, [String: any Sendable]?)] = [
                (.post, "/v1/tenants", ["name": "a\u{2028}b"]),
                (.post, "/v1/tenants", ["name": "\u{FEFF}acme"]),
                (.post, "/v1/projects/\(project.id)/serviceaccounts", ["name": "ops\u{85}", "role": "viewer"]),
                (.post, "/v1/projects/\(project.id)/serviceaccounts", ["name": "ops", "role": "viewer\u{1B}"]),
                (.post, "/v1/keys", ["serviceAccount": account.id, "scopes": ["apps:instance:read\u{0}"], "expiresInSeconds": 3600]),
                (.post, "/v1/projects/\(project.id)/instances", ["app": "hello\u{202E}"]),
                (.post, "/v1/projects/\(project.id)/instances", ["app": "hello", "params": ["k\u{1B}": "v"]]),
                (.post, "/v1/projects/\(project.id)/signingkeys", ["name": "release\u{1B}]0;pwned\u{7}", "publicKeyPEM": SigningPrivateKey().publicKey.pem]),
                // Free text may hold anything but NUL.
                (.post, "/v1/projects/\(project.id)/apps", ["manifest": "apiVersion: x\u{0}"]),
                (.get, "/v1/audit/records?action=iam.key.create%1B", nil),
                (.get, "/v1/audit/records?action=%00", nil),
                (.get, "/v1/projects/\(project.id)/connect-sessions?instance=%E2%80%A8", nil),
            ]
            for (method, path, body) in refused {
                let reply = try await fixture.call(method, path, key: path.hasPrefix("/v1/tenants") ? admin : key.key, body: body)
                let text = String(decoding: reply.body, as: UTF8.self)
                #expect(reply.status == .badRequest && reply.errorCode == "validation.invalid_text", "\(method) \(path) → \(reply.status): \(text)")
                #expect(!text.unicodeScalars.contains { !TextPolicy.isAllowedInIdentifier($0) && $0 != "\n" }, "\(path) echoed: \(text)")
            }
            // JSON `\ud800` (a lone surrogate) and raw invalid UTF-8 are not JSON at all.
            for raw in [Array(#"{"name":"x\ud800y"}"#.utf8), Array(#"{"name":"x"#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8)] {
                var headers = HTTPFields()
                headers[.authorization] = "Bearer \(admin)"
                headers[.contentType] = "application/json"
                let status = try await fixture.client.execute(uri: "/v1/tenants", method: .post, headers: headers, body: ByteBuffer(bytes: raw)) {
                    $0.status
                }
                #expect(status == .badRequest)
            }
            // Ordinary names still work, non-ASCII text in free text too.
            #expect(try await fixture.call(.post, "/v1/tenants", key: admin, body: ["name": "beta"]).status == .created)
            let tenants = try await fixture.ok(.get, "/v1/tenants", key: admin, as: [Tenant].self)
            #expect(!tenants.contains { $0.name.unicodeScalars.contains { !TextPolicy.isAllowedInIdentifier($0) } })
            let export = try await fixture.server.store.read { db in try await fixture.server.audit.exportSnapshot(db) }
            #expect(AuditLogVerifier.verify(export).valid)
        }
    }
}
