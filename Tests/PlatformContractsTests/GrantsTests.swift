import PlatformContracts
import Testing

/// The request's authorization value: every scope a request needs is decided from one IAM
/// read, with the same reasons the per-scope check gave.
@Suite("Grants")
struct GrantsTests {
    let grants = Grants(
        keyScopes: ["apps:instance:launch", "apps:catalog:read", "gone:scope"],
        heldScopes: ["apps:instance:launch", "apps:instance:read"],
        registeredScopes: ["apps:instance:launch", "apps:instance:read", "apps:catalog:read"])

    @Test func aScopeOnTheKeyAndHeldByThePrincipalIsAllowed() {
        #expect(grants.decision(for: "apps:instance:launch") == .allow)
    }

    @Test func eachDenialSaysWhy() {
        #expect(grants.decision(for: "apps:instance:read") == .deny(reason: "the key does not carry apps:instance:read"))
        #expect(grants.decision(for: "apps:catalog:read") == .deny(reason: "the principal no longer holds apps:catalog:read"))
        #expect(grants.decision(for: "gone:scope") == .deny(reason: "scope gone:scope is not in the scope registry"))
    }

    @Test func allOfIsAllowedOnlyWhenEveryScopeIs() {
        #expect(grants.firstDenied(["apps:instance:launch"]) == nil)
        #expect(grants.firstDenied([String]()) == nil)
        let denied = grants.firstDenied(["apps:instance:launch", "apps:catalog:read", "apps:instance:read"])
        #expect(denied?.scope == "apps:catalog:read")
        #expect(denied?.reason == "the principal no longer holds apps:catalog:read")
        #expect(grants.firstDenied(["apps:instance:read", "apps:instance:launch"])?.scope == "apps:instance:read")
        #expect(grants.firstDenied(["apps:instance:launch"]) == nil)
    }
}
