import Foundation
import PlatformAPI
import PlatformContracts
import Testing

/// The committed AsyncAPI document cannot drift from the generator, and the SSE frames the
/// server writes are the ones the document describes.
@Suite("AsyncAPI golden and framing")
struct AsyncAPIGoldenTests {
    static let committed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("manifests/api/asyncapi.json")

    @Test("manifests/api/asyncapi.json equals the generated document (UPDATE_GOLDEN=1 rewrites it)")
    func committedCopyMatches() throws {
        let generated = try AsyncAPIDocument.generate()
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try generated.write(to: Self.committed)
        }
        #expect(try Data(contentsOf: Self.committed) == generated,
                "regenerate with UPDATE_GOLDEN=1 swift test --filter AsyncAPIGoldenTests")
        #expect(AsyncAPIDocument.json() == generated)
    }

    @Test("a frame is id = seq, event = phase, one data line that decodes to the event, then a blank line")
    func frameIsWhatTheDocumentDescribes() throws {
        let event = InstanceEvent(seq: 7, phase: .failed(.oom), message: "killed\nfor memory", at: "2026-01-01T00:00:00Z")
        let json = String(decoding: try JSONEncoder().encode(event), as: UTF8.self)
        let frame = InstanceEventStream.frame(seq: event.seq, json: json)
        #expect(frame.hasSuffix("\n\n"))
        let lines = frame.dropLast(2).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3, "a JSON newline inside a message must stay escaped: \(lines)")
        #expect(lines.first == "id: 7")
        #expect(lines.dropFirst().first == "event: \(InstanceEventStream.eventName)")
        let data = try #require(lines.last.map { $0.dropFirst("data: ".count) })
        #expect(try JSONDecoder().decode(InstanceEvent.self, from: Data(data.utf8)) == event)
    }

    @Test("the keep-alive frame is an SSE comment that clients ignore")
    func keepAliveIsAComment() {
        #expect(InstanceEventStream.keepAliveFrame.hasPrefix(":"))
        #expect(InstanceEventStream.keepAliveFrame.hasSuffix("\n\n"))
        #expect(!InstanceEventStream.keepAliveFrame.dropLast(2).contains("\n"))
    }
}
