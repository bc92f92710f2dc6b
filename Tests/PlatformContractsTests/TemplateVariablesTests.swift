import PlatformContracts
import Testing

@Suite("Template variables")
struct TemplateVariablesTests {
    @Test("plain, triple and ampersand tags give their names; a section comes back whole")
    func namesOfEachTagForm() {
        #expect(TemplateVariables.names(in: "{{a}} and {{{ b }}} and {{& c}}, {{#d}}x{{/d}}") == ["a", "b", "c", "#d", "/d"])
        #expect(TemplateVariables.names(in: "no tags, {{unclosed") == [])
    }
}
