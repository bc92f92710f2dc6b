import Foundation
import PlatformContracts
import Testing

/// Typed phases and modes keep the wire format the API always had.
@Suite("Instance wire format")
struct InstanceWireFormatTests {
    @Test("a failed record encodes phase, reason and mode as the same strings and decodes back")
    func typedRecordKeepsTheWireStrings() throws {
        let record = InstanceRecord(id: "01J", projectId: "P", app: "a", version: "1", adapter: "memory", environment: "development",
                                    mode: .job, phase: .failed(.healthTimeout), message: nil, image: "i", node: nil, gpus: [],
                                    gpuCount: 0, endpoints: [], launchedBy: "u", createdAt: "t", updatedAt: "t")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(record), as: UTF8.self)
        #expect(text.contains(#""mode":"job""#) && text.contains(#""phase":"failed""#) && text.contains(#""reason":"health-timeout""#), "\(text)")
        #expect(!text.contains("message") && !text.contains("node"), "absent optionals stay absent: \(text)")
        #expect(try JSONDecoder().decode(InstanceRecord.self, from: Data(text.utf8)) == record)
        let event = InstanceEvent(seq: 2, phase: .ready, message: "m", at: "t")
        let eventText = String(decoding: try encoder.encode(event), as: UTF8.self)
        #expect(eventText == #"{"at":"t","message":"m","phase":"ready","seq":2}"#)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(InstanceEvent.self, from: Data(#"{"seq":1,"phase":"dancing","at":"t"}"#.utf8)) }
    }
}
