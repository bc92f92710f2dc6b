/// The variable names a notification template's Mustache text uses (`{{name}}`,
/// `{{{name}}}`, `{{& name}}`). Shared by the registry check, which refuses a template naming
/// a variable it does not declare, and the template catalog, which refuses to render without
/// one: the templates use no sections or partials, so a tag that opens one comes back whole
/// and is refused as an undeclared variable.
public enum TemplateVariables {
    /// The names, in order of use (repeats kept).
    public static func names(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.firstRange(of: "{{") {
            rest = rest[open.upperBound...]
            guard let close = rest.firstRange(of: "}}") else { break }
            var name = rest[..<close.lowerBound]
            if name.hasPrefix("{") { name = name.dropFirst() }
            if name.hasPrefix("&") { name = name.dropFirst() }
            names.append(String(name.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()))
            rest = rest[close.upperBound...]
            if rest.hasPrefix("}") { rest = rest.dropFirst() }
        }
        return names
    }
}
