/// One derivation run of ``JSONSchemaCatalog``: produces, for a `Decodable` type, its schema
/// and a sample value of it (the value the reflecting decoder returns to the `init(from:)`
/// of the type that contains it, so that walk can go on).
final class SchemaDerivation {
    var catalog: JSONSchemaCatalog
    /// Schemas and samples of the types derived in this run.
    private var derived: [ObjectIdentifier: (schema: JSONSchema, sample: Any)] = [:]
    /// The types being walked, to refuse a type that contains itself.
    private var walking: Set<ObjectIdentifier> = []

    init(catalog: JSONSchemaCatalog) { self.catalog = catalog }

    /// The schema of an existential type.
    func schemaOf(_ type: any Decodable.Type) throws(SchemaDerivationError) -> JSONSchema {
        do {
            return try schemaOnly(type)
        } catch let error as SchemaDerivationError {
            throw error
        } catch {
            throw SchemaDerivationError(.reflection, type: String(reflecting: type), "\(error)")
        }
    }

    private func schemaOnly<T: Decodable>(_ type: T.Type) throws -> JSONSchema { try derive(type).schema }

    /// The schema of `type` and a value of it.
    func derive<T: Decodable>(_ type: T.Type) throws -> (schema: JSONSchema, sample: T) {
        let id = ObjectIdentifier(type)
        if let done = derived[id], let sample = done.sample as? T { return (done.schema, sample) }
        let result = try deriveUncached(type)
        derived[id] = (result.schema, result.sample)
        return result
    }

    private func deriveUncached<T: Decodable>(_ type: T.Type) throws -> (schema: JSONSchema, sample: T) {
        let name = String(reflecting: type)
        if let described = type as? any JSONSchemaDescribing.Type {
            guard let sample = described.jsonSchemaSample as? T else { throw failure(.reflection, name, "jsonSchemaSample is not a \(name)") }
            return (described.jsonSchema, sample)
        }
        if let primitive = Self.primitives[ObjectIdentifier(type)], let sample = primitive.sample as? T {
            return (primitive.schema, sample)
        }
        if let optional = type as? any OptionalDecodable.Type, let none = optional.nilValue as? T {
            return (try schemaOnly(optional.wrappedType).orNull, none)
        }
        if let enumeration = type as? any (CaseIterable & RawRepresentable).Type,
           let cases = Self.stringCases(enumeration), let first = cases.first as? T {
            let component = JSONSchemaCatalog.componentName(for: type)
            try catalog.register(component, JSONSchema(.string(values: cases.values)), owner: name)
            return (JSONSchema(.reference(component)), first)
        }
        return try walk(type, name: name)
    }

    /// Runs `T.init(from:)` against the reflecting decoder and reads what it asked for.
    private func walk<T: Decodable>(_ type: T.Type, name: String) throws -> (schema: JSONSchema, sample: T) {
        let id = ObjectIdentifier(type)
        guard walking.insert(id).inserted else {
            throw failure(.recursive, name, "the type contains itself; conform it to JSONSchemaDescribing")
        }
        defer { walking.remove(id) }
        let node = ReflectionNode()
        let overrides = (type as? any JSONSchemaPropertyDescribing.Type)?.jsonSchemaProperties ?? [:]
        let sample: T
        do {
            sample = try T(from: ReflectingDecoder(derivation: self, node: node, overrides: overrides, codingPath: []))
        } catch let error as SchemaDerivationError {
            throw error
        } catch {
            throw failure(.reflection, name, "init(from:) refused the sample values (\(error)); make the enum CaseIterable, "
                          + "or describe the type (JSONSchemaDescribing) or the property (JSONSchemaPropertyDescribing)")
        }
        let schema = node.schema
        guard node.isNamedObject else { return (schema, sample) }
        let component = JSONSchemaCatalog.componentName(for: type)
        try catalog.register(component, schema, owner: name)
        return (JSONSchema(.reference(component)), sample)
    }

    /// The schema of a property `override` (registered as a component when it names one).
    func schema(of override: JSONSchemaProperty) throws -> JSONSchema {
        guard let component = override.componentName else { return override.schema }
        try catalog.register(component, override.schema, owner: "property schema \(component)")
        return JSONSchema(.reference(component))
    }

    private func failure(_ kind: SchemaDerivationError.Kind, _ type: String, _ message: String) -> SchemaDerivationError {
        SchemaDerivationError(kind, type: type, message)
    }

    /// The raw values of an enum whose raw values are strings, and its cases.
    private static func stringCases<E: CaseIterable & RawRepresentable>(_ type: E.Type) -> (values: [String], first: Any?)? {
        let values = type.allCases.compactMap { $0.rawValue as? String }
        guard !values.isEmpty, values.count == type.allCases.count else { return nil }
        return (values, type.allCases.first)
    }

    private static let int64 = JSONSchema(.integer(format: "int64"))
    private static let int32 = JSONSchema(.integer(format: "int32"))
    private static let unsigned64 = JSONSchema(.integer(format: "int64", minimum: 0))

    /// Swift's primitive `Codable` types: their schema and a sample.
    private static let primitives: [ObjectIdentifier: (schema: JSONSchema, sample: any Sendable)] = [
        ObjectIdentifier(String.self): (.string, ""),
        ObjectIdentifier(Bool.self): (JSONSchema(.boolean), false),
        ObjectIdentifier(Double.self): (JSONSchema(.number(format: "double")), 0.0 as Double),
        ObjectIdentifier(Float.self): (JSONSchema(.number(format: "float")), 0 as Float),
        ObjectIdentifier(Int.self): (int64, 0 as Int),
        ObjectIdentifier(Int64.self): (int64, 0 as Int64),
        ObjectIdentifier(Int32.self): (int32, 0 as Int32),
        ObjectIdentifier(Int16.self): (JSONSchema(.integer(format: "int32", minimum: Int64(Int16.min), maximum: Int64(Int16.max))), 0 as Int16),
        ObjectIdentifier(Int8.self): (JSONSchema(.integer(format: "int32", minimum: Int64(Int8.min), maximum: Int64(Int8.max))), 0 as Int8),
        ObjectIdentifier(UInt.self): (unsigned64, 0 as UInt),
        ObjectIdentifier(UInt64.self): (unsigned64, 0 as UInt64),
        ObjectIdentifier(UInt32.self): (JSONSchema(.integer(format: "int64", minimum: 0, maximum: Int64(UInt32.max))), 0 as UInt32),
        ObjectIdentifier(UInt16.self): (JSONSchema(.integer(format: "int32", minimum: 0, maximum: Int64(UInt16.max))), 0 as UInt16),
        ObjectIdentifier(UInt8.self): (JSONSchema(.integer(format: "int32", minimum: 0, maximum: Int64(UInt8.max))), 0 as UInt8),
    ]
}

/// `Optional<Wrapped>` seen from a generic context: its wrapped type and `nil`.
protocol OptionalDecodable {
    static var wrappedType: any Decodable.Type { get }
    static var nilValue: Self { get }
}

extension Optional: OptionalDecodable where Wrapped: Decodable {
    static var wrappedType: any Decodable.Type { Wrapped.self }
    static var nilValue: Self { nil }
}

/// What one `init(from:)` asked the reflecting decoder for.
final class ReflectionNode {
    enum Kind { case nothing, keyed, unkeyed, single }
    enum Entry {
        case schema(JSONSchema)
        case node(ReflectionNode)

        var schema: JSONSchema {
            switch self {
            case .schema(let schema): schema
            case .node(let node): node.schema
            }
        }
    }

    /// The key `allKeys` offers: a struct's `CodingKeys` cannot be made from it, a
    /// dictionary's keys can, which is how a map is told from a struct.
    static let mapKey = "*"

    var kind = Kind.nothing
    var properties: [String: Entry] = [:]
    /// Keys read with `decode` (required unless also probed).
    var decoded: Set<String> = []
    /// Keys asked about with `contains` (what `decodeIfPresent` does first): optional.
    var probed: Set<String> = []
    /// Keys asked about with `decodeNil`: nullable.
    var nullable: Set<String> = []
    var isMap = false
    var additional: Entry?
    var element: Entry?
    var single: Entry?
    var singleNullable = false

    /// A struct-like object: what becomes a named component.
    var isNamedObject: Bool { kind == .keyed && !isMap }

    var schema: JSONSchema {
        switch kind {
        case .nothing:
            return JSONSchema(.object(properties: [:], required: [], additionalProperties: nil))
        case .keyed where isMap:
            return JSONSchema(.object(properties: [:], required: [], additionalProperties: additional?.schema ?? .any))
        case .keyed:
            var schemas: [String: JSONSchema] = [:]
            for (key, entry) in properties {
                schemas[key] = nullable.contains(key) ? entry.schema.orNull : entry.schema
            }
            return JSONSchema(.object(properties: schemas, required: decoded.subtracting(probed).sorted(), additionalProperties: nil))
        case .unkeyed:
            return JSONSchema(.array(element?.schema ?? .any))
        case .single:
            let inner = single?.schema ?? .any
            return singleNullable ? inner.orNull : inner
        }
    }
}
