import Foundation

/// Walks a ``LocatedValue`` against a ``JSONSchema``, collecting every violation.
struct SchemaValidation {
    let root: JSONSchema
    let file: String
    var diagnostics: [ManifestDiagnostic] = []

    init(root: JSONSchema, file: String) {
        self.root = root
        self.file = file
    }

    mutating func report(_ code: String, _ pointer: String, _ location: SourceLocation, _ message: String) {
        diagnostics.append(ManifestDiagnostic(code: code, pointer: pointer, file: file, at: location, message: message))
    }

    func resolve(_ schema: JSONSchema) -> JSONSchema {
        guard let ref = schema.ref, ref.hasPrefix("#/$defs/"), let target = root.definitions[String(ref.dropFirst(8))] else {
            return schema
        }
        return resolve(target)
    }

    mutating func validate(_ value: LocatedValue, _ schemaIn: JSONSchema, pointer: String) {
        let schema = resolve(schemaIn)
        let here = value.location
        if let constant = schema.constValue {
            if literal(of: value) != constant {
                report("manifest.const_mismatch", pointer, here, "must be `\(constant)`")
            }
            return
        }
        if let options = schema.enumValues {
            guard let actual = literal(of: value), options.contains(actual) else {
                let shown = literal(of: value).map { "`\($0)`" } ?? "a \(value.typeName)"
                let names = options.map(\.description)
                report("manifest.enum_mismatch", pointer, here,
                       "\(shown) is not one of \(names.joined(separator: ", "))\(DidYouMean.hint(for: literal(of: value)?.description ?? "", among: names))")
                return
            }
        }
        if let types = schema.types {
            let matches = types.contains(value.typeName) || (value.typeName == "integer" && types.contains("number"))
            guard matches else {
                report("manifest.type_mismatch", pointer, here, "expected \(types.joined(separator: " or ")), found \(value.typeName)")
                return
            }
        }
        switch value {
        case .object(let members, _):
            validateObject(members, schema, pointer: pointer, at: here)
        case .array(let elements, _):
            if let minimum = schema.minItems, elements.count < minimum {
                report("manifest.too_few_items", pointer, here, "needs at least \(minimum) item\(minimum == 1 ? "" : "s"), found \(elements.count)")
            }
            if let items = schema.items {
                for (index, element) in elements.enumerated() { validate(element, items, pointer: "\(pointer)/\(index)") }
            }
        case .string(let text, _):
            if let minimum = schema.minLength, text.count < minimum {
                report("manifest.too_short", pointer, here, "must be at least \(minimum) character\(minimum == 1 ? "" : "s") long")
            }
            if let maximum = schema.maxLength, text.count > maximum {
                report("manifest.too_long", pointer, here, "must be at most \(maximum) characters long")
            }
            if let pattern = schema.pattern, let regex = schema.regex,
               regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                report("manifest.pattern_mismatch", pointer, here, "`\(text)` does not match \(pattern)")
            }
        case .integer(let number, _):
            checkRange(Double(number), schema, pointer, here)
        case .number(let number, _):
            checkRange(number, schema, pointer, here)
        case .bool, .null:
            break
        }
    }

    mutating func validateObject(_ members: [LocatedValue.Member], _ schema: JSONSchema, pointer: String, at here: SourceLocation) {
        var seen = Set<String>()
        for member in members {
            let childPointer = "\(pointer)/\(escape(member.key))"
            if !seen.insert(member.key).inserted {
                report("manifest.duplicate_key", childPointer, member.keyLocation, "key `\(member.key)` appears more than once")
                continue
            }
            if let child = schema.properties[member.key] {
                validate(member.value, child, pointer: childPointer)
                continue
            }
            switch schema.additional {
            case .allowed:
                break
            case .schema(let child):
                validate(member.value, child, pointer: childPointer)
            case .forbidden:
                report("manifest.unknown_key", childPointer, member.keyLocation,
                       "unknown key `\(member.key)`\(DidYouMean.hint(for: member.key, among: schema.propertyOrder))")
            }
        }
        for key in schema.required where !seen.contains(key) {
            report("manifest.required_missing", pointer, here, "missing required key `\(key)`")
        }
    }

    mutating func checkRange(_ number: Double, _ schema: JSONSchema, _ pointer: String, _ here: SourceLocation) {
        if let minimum = schema.minimum, number < minimum {
            report("manifest.out_of_range", pointer, here, "\(format(number)) is below the minimum \(format(minimum))")
        }
        if let maximum = schema.maximum, number > maximum {
            report("manifest.out_of_range", pointer, here, "\(format(number)) is above the maximum \(format(maximum))")
        }
    }

    func literal(of value: LocatedValue) -> JSONSchema.Literal? {
        switch value {
        case .string(let text, _): .string(text)
        case .integer(let number, _): .integer(number)
        case .bool(let flag, _): .bool(flag)
        default: nil
        }
    }

    /// A number as a diagnostic shows it. `Int64(exactly:)`, not `Int64(_:)`: a manifest value
    /// such as 9223372036854775807 is `2^63` as a Double, and the trapping conversion took the
    /// whole server down from a refused manifest.
    func format(_ number: Double) -> String {
        if number == number.rounded(), let exact = Int64(exactly: number) { return String(exact) }
        return String(number)
    }
}

/// RFC 6901 escaping of one pointer segment.
func escape(_ key: String) -> String {
    guard key.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return key }
    return key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
}
