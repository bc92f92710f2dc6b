/// One asynchronous surface of platformd as the AsyncAPI document lists it: a channel and
/// the operation on it. ``EventStream`` is one; a webhook or notification event (issue 18's
/// outbox) would be another conforming value added to ``AsyncAPIDocument/surfaces``.
protocol AsyncSurface: Sendable {
    /// The channel and operation, with payload schemas registered in `schemas`.
    func describe(into schemas: inout some AsyncAPISchemaSource) throws(SchemaDerivationError) -> AsyncSurfaceEntry
    /// The `/v1` endpoint the surface rides on, `nil` for one that has none (a webhook).
    var describedEndpoint: (any EndpointDescribing)? { get }
}

/// What one surface adds to the document.
struct AsyncSurfaceEntry {
    /// Key under `channels`.
    let channelID: String
    /// The Channel Object.
    let channel: [String: Any]
    /// Key under `operations` (the OpenAPI `operationId` when the surface is an endpoint).
    let operationID: String
    /// The Operation Object.
    let operation: [String: Any]
}

/// What the generator needs from schema derivation: a `$ref` for a `Codable` type and the
/// component schemas that the references point at (`#/components/schemas/<name>`).
protocol AsyncAPISchemaSource {
    /// The reference to `type`'s schema, registering it (and what it refers to).
    mutating func reference(for type: any Decodable.Type) throws(SchemaDerivationError) -> [String: Any]
    /// Every registered schema by component name, as JSON objects.
    var componentObjects: [String: Any] { get }
}

extension JSONSchemaCatalog: AsyncAPISchemaSource {
    /// The OpenAPI document's derivation, so both documents describe a type alike.
    mutating func reference(for type: any Decodable.Type) throws(SchemaDerivationError) -> [String: Any] {
        try schema(for: type).jsonObject
    }

    var componentObjects: [String: Any] { components.mapValues(\.jsonObject) }
}
