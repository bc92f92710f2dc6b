import PlatformContracts
import Testing

/// Amounts typed by people (credit grants, budget limits) become integers at the asset scale
/// exactly, and anything that is not a plain decimal is refused with a stable code.
@Suite("Money text")
struct MoneyTextTests {
    @Test func decimalTextBecomesTheExactIntegerAtTheScale() throws {
        #expect(try MoneyText.amount("50", scale: 6) == 50_000_000)
        #expect(try MoneyText.amount("250.5", scale: 6) == 250_500_000)
        #expect(try MoneyText.amount("0.000001", scale: 6) == 1)
        #expect(try MoneyText.amount("0", scale: 6, positive: false) == 0)
        // 0.1 + 0.2 style drift cannot happen: no floating point on the way.
        #expect(try MoneyText.amount("0.3", scale: 6) == 300_000)
        // What a client checks before it knows the scale: form only, any size that fits.
        #expect(MoneyText.isPositiveDecimal("100") && MoneyText.isPositiveDecimal("1000000.25"))
        #expect(!MoneyText.isPositiveDecimal("abc") && !MoneyText.isPositiveDecimal("0") && !MoneyText.isPositiveDecimal("-1"))
    }

    @Test(arguments: ["", ".", "1.", ".5", "1e3", "-5", "+5", " 5", "5 ", "1,5", "1.0000001", "0", "0.000000", "９", "999999999999999999"])
    func anythingButAPositivePlainDecimalIsRefused(_ text: String) {
        #expect(throws: PlatformError.self) { try MoneyText.amount(text, scale: 6) }
        do { _ = try MoneyText.amount(text, scale: 6) } catch { #expect(error.code == .billingAmountInvalid) }
    }
}
