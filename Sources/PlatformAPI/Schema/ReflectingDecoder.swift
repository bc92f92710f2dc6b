/// A `Decoder` with no input: it answers every request of an `init(from:)` with a sample
/// value and records the request in a ``ReflectionNode`` (which keys, `decode` or
/// `decodeIfPresent`, of which types), so the type's own decoding code states its schema.
struct ReflectingDecoder: Decoder {
    let derivation: SchemaDerivation
    let node: ReflectionNode
    /// Property schemas the walked type states itself (``JSONSchemaPropertyDescribing``).
    let overrides: [String: JSONSchemaProperty]
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        node.kind = .keyed
        return KeyedDecodingContainer(KeyedReflector<Key>(derivation: derivation, node: node, overrides: overrides, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        node.kind = .unkeyed
        return UnkeyedReflector(derivation: derivation, node: node, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        node.kind = .single
        return SingleValueReflector(derivation: derivation, node: node, codingPath: codingPath)
    }
}

/// Records each key an `init(from:)` reads.
struct KeyedReflector<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let derivation: SchemaDerivation
    let node: ReflectionNode
    let overrides: [String: JSONSchemaProperty]
    var codingPath: [any CodingKey]

    /// One key when `Key` can be made from any string (a dictionary's keys): the caller then
    /// decodes the value type once, which becomes `additionalProperties`.
    var allKeys: [Key] {
        guard let key = Key(stringValue: ReflectionNode.mapKey) else { return [] }
        node.isMap = true
        return [key]
    }

    func contains(_ key: Key) -> Bool {
        node.probed.insert(key.stringValue)
        return true
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        node.nullable.insert(key.stringValue)
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try value(type, key) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try value(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try value(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try value(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try value(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try value(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try value(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try value(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try value(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try value(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try value(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try value(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try value(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try value(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try value(type, key) }

    private func value<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        let name = key.stringValue
        if node.isMap && name == ReflectionNode.mapKey {
            let (schema, sample) = try derivation.derive(type)
            node.additional = .schema(schema)
            return sample
        }
        node.decoded.insert(name)
        if let override = overrides[name] {
            node.properties[name] = .schema(try derivation.schema(of: override))
            if let sample = override.sample as? T { return sample }
            return try derivation.derive(type).sample
        }
        let (schema, sample) = try derivation.derive(type)
        node.properties[name] = .schema(schema)
        return sample
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        let child = child(key, kind: .keyed)
        return KeyedDecodingContainer(KeyedReflector<NestedKey>(derivation: derivation, node: child, overrides: [:], codingPath: codingPath + [key]))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        UnkeyedReflector(derivation: derivation, node: child(key, kind: .unkeyed), codingPath: codingPath + [key])
    }

    func superDecoder() throws -> any Decoder {
        ReflectingDecoder(derivation: derivation, node: node, overrides: overrides, codingPath: codingPath)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        ReflectingDecoder(derivation: derivation, node: child(key, kind: .nothing), overrides: [:], codingPath: codingPath + [key])
    }

    private func child(_ key: Key, kind: ReflectionNode.Kind) -> ReflectionNode {
        let child = ReflectionNode()
        child.kind = kind
        node.decoded.insert(key.stringValue)
        node.properties[key.stringValue] = .node(child)
        return child
    }
}

/// Records the element type an `init(from:)` reads: it offers exactly one element.
struct UnkeyedReflector: UnkeyedDecodingContainer {
    let derivation: SchemaDerivation
    let node: ReflectionNode
    var codingPath: [any CodingKey]
    var count: Int? { 1 }
    var isAtEnd: Bool { currentIndex >= 1 }
    var currentIndex = 0

    init(derivation: SchemaDerivation, node: ReflectionNode, codingPath: [any CodingKey]) {
        self.derivation = derivation
        self.node = node
        self.codingPath = codingPath
    }

    mutating func decodeNil() throws -> Bool { false }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try value(type) }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try value(type) }
    mutating func decode(_ type: String.Type) throws -> String { try value(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try value(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try value(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try value(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try value(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try value(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try value(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try value(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try value(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try value(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try value(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try value(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try value(type) }

    private mutating func value<T: Decodable>(_ type: T.Type) throws -> T {
        let (schema, sample) = try derivation.derive(type)
        node.element = .schema(schema)
        currentIndex += 1
        return sample
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        KeyedDecodingContainer(KeyedReflector<NestedKey>(derivation: derivation, node: element(.keyed), overrides: [:], codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        UnkeyedReflector(derivation: derivation, node: element(.unkeyed), codingPath: codingPath)
    }

    mutating func superDecoder() throws -> any Decoder {
        ReflectingDecoder(derivation: derivation, node: element(.nothing), overrides: [:], codingPath: codingPath)
    }

    private mutating func element(_ kind: ReflectionNode.Kind) -> ReflectionNode {
        let child = ReflectionNode()
        child.kind = kind
        node.element = .node(child)
        currentIndex += 1
        return child
    }
}

/// Records the one value a single-value `init(from:)` reads.
struct SingleValueReflector: SingleValueDecodingContainer {
    let derivation: SchemaDerivation
    let node: ReflectionNode
    var codingPath: [any CodingKey]

    func decodeNil() -> Bool {
        node.singleNullable = true
        return false
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try value(type) }
    func decode(_ type: Bool.Type) throws -> Bool { try value(type) }
    func decode(_ type: String.Type) throws -> String { try value(type) }
    func decode(_ type: Double.Type) throws -> Double { try value(type) }
    func decode(_ type: Float.Type) throws -> Float { try value(type) }
    func decode(_ type: Int.Type) throws -> Int { try value(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try value(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try value(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try value(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try value(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try value(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try value(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try value(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try value(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try value(type) }

    private func value<T: Decodable>(_ type: T.Type) throws -> T {
        let (schema, sample) = try derivation.derive(type)
        node.single = .schema(schema)
        return sample
    }
}
