import Foundation
import PlatformContracts
import Testing

@Suite("Contract types")
struct ContractTests {
    @Test("error codes are unique, dotted and lowercase")
    func errorCodes() {
        let raw = ErrorCode.allCases.map(\.rawValue)
        #expect(Set(raw).count == raw.count)
        for code in raw {
            #expect(code.range(of: "^[a-z]+\\.[a-z_]+$", options: .regularExpression) != nil, "\(code)")
        }
    }

    @Test("platform errors compare by code and encode their code as a bare string")
    func platformErrors() throws {
        #expect(PlatformError(.storeConflict, "a") == PlatformError(.storeConflict, "b"))
        #expect(PlatformError(.storeConflict) != PlatformError(.storeUnavailable))
        let json = try JSONEncoder().encode(["code": ErrorCode.blobNotFound])
        #expect(String(decoding: json, as: UTF8.self) == #"{"code":"blob.not_found"}"#)
    }

    @Test("health statuses order by severity")
    func healthOrder() {
        #expect([HealthStatus.pass, .fail, .warn].max() == .fail)
        #expect([HealthStatus.pass, .warn].max() == .warn)
    }

    @Test("trust states satisfy requirements on the ladder; side states satisfy none")
    func trustLadder() {
        #expect(TrustState.promotedProduction.satisfies(.promotedStaging))
        #expect(!TrustState.verified.satisfies(.promotedStaging))
        #expect(!TrustState.revoked.satisfies(.registered))
        #expect(!TrustState.quarantined.satisfies(.registered))
    }

    @Test("instance phases know which are terminal")
    func terminalPhases() {
        #expect(InstancePhase.failed(.oom).isTerminal)
        #expect(InstancePhase.succeeded.isTerminal)
        #expect(!InstancePhase.ready.isTerminal)
    }
}
