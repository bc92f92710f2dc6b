import ArtifactRegistry
import Foundation
import OCIKit
import PlatformContracts
import Testing

/// The registry token's lifetime and signature rules, without a server.
@Suite("Registry token signer")
struct RegistryTokenSignerTests {
    let signer = RegistryTokenSigner(secret: Data(repeating: 7, count: 32))

    func caller(expiresIn seconds: TimeInterval, now: Date) -> Caller {
        let expiry = Timestamp(millisecondsSinceEpoch: UInt64((now.timeIntervalSince1970 + seconds) * 1000)).rfc3339
        return Caller(principalId: "P", principalName: "ci", principalKind: "service_account", keyId: "K", tenantId: "T",
                      projectId: "J", scopes: ["artifacts:repository:pull"], expiresAt: expiry)
    }

    @Test func registryTokenNeverOutlivesFiveMinutesOrItsKey() throws {
        let now = Date()
        let long = try signer.issue(for: caller(expiresIn: 86_400, now: now), access: [], now: now)
        #expect(long.expiresIn == 300)
        #expect(throws: PlatformError.self) { try signer.verify(long.token, now: now.addingTimeInterval(301)) }
        #expect(try signer.verify(long.token, now: now.addingTimeInterval(299)).sub == "P")
        let short = try signer.issue(for: caller(expiresIn: 60, now: now), access: [], now: now)
        #expect(short.expiresIn <= 60)
        #expect(throws: PlatformError.self) { try signer.verify(short.token, now: now.addingTimeInterval(61)) }
    }

    @Test func registryTokenFromAnotherSecretOrWithAnotherHeaderIsRefused() throws {
        let now = Date()
        let access = [RegistryScope(type: "repository", name: "j/app", actions: ["pull"])]
        let issued = try signer.issue(for: caller(expiresIn: 3600, now: now), access: access, now: now)
        #expect(try signer.verify(issued.token, now: now).access == access)
        let other = RegistryTokenSigner(secret: Data(repeating: 8, count: 32))
        #expect(throws: PlatformError.self) { try other.verify(issued.token, now: now) }
        let parts = issued.token.split(separator: ".")
        let none = Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
        #expect(throws: PlatformError.self) { try signer.verify("\(none).\(parts[1]).\(parts[2])", now: now) }
        #expect(throws: PlatformError.self) { try signer.verify("\(parts[0]).\(parts[1]).", now: now) }
        #expect(throws: PlatformError.self) { try signer.verify("garbage", now: now) }
    }
}
