/// The typed `/v1` contract as the portal reads it: plain data, filled by `appctl portal
/// generate` from PlatformAPI's `Endpoints.all` and the OpenAPI document derived from their
/// Codable types. PortalGenerator stays a renderer over data (layer 1, beside PlatformAPI);
/// the composition root (AppCtlKit) hands it the contract, as it hands it the CLI's commands.
public struct APIContract: Sendable, Hashable {
    /// One operation, in `Operation` order.
    public struct Operation: Sendable, Hashable {
        /// The `operationId` (the `Operation` case; the Python SDK's function name).
        public var id: String
        /// `GET`, `POST`, …
        public var method: String
        /// `/v1/projects/{project}/instances`.
        public var path: String
        /// The scope the key must carry; `nil` for any authenticated caller.
        public var scope: String?
        /// One line.
        public var summary: String
        /// The success status (200, 201, 204).
        public var successStatus: Int
        /// Whether `Accept: text/event-stream` streams the answer (documented in AsyncAPI).
        public var eventStream: Bool
        /// `{name}` parameters of the path, in order.
        public var pathParameters: [Parameter]
        /// Query parameters.
        public var queryParameters: [Parameter]
        /// The request body's schema (a component name, or an inline description); `nil` for none.
        public var requestBody: String?
        /// The success document's schema (`Name`, `[Name]`); `nil` for no content.
        public var responseBody: String?

        /// Creates an operation.
        public init(id: String, method: String, path: String, scope: String?, summary: String, successStatus: Int,
                    eventStream: Bool, pathParameters: [Parameter], queryParameters: [Parameter],
                    requestBody: String?, responseBody: String?) {
            self.id = id; self.method = method; self.path = path; self.scope = scope; self.summary = summary
            self.successStatus = successStatus; self.eventStream = eventStream
            self.pathParameters = pathParameters; self.queryParameters = queryParameters
            self.requestBody = requestBody; self.responseBody = responseBody
        }
    }

    /// A path or query parameter.
    public struct Parameter: Sendable, Hashable {
        /// Its name.
        public var name: String
        /// `string`, `integer 0…100`.
        public var type: String
        /// Whether a request must carry it.
        public var required: Bool
        /// One line.
        public var summary: String

        /// Creates a parameter.
        public init(name: String, type: String, required: Bool, summary: String) {
            self.name = name; self.type = type; self.required = required; self.summary = summary
        }
    }

    /// A named schema the operations refer to (`#/components/schemas/<name>`), as JSON.
    public struct Schema: Sendable, Hashable {
        /// Component name.
        public var name: String
        /// The JSON Schema, pretty-printed with sorted keys.
        public var json: String

        /// Creates a schema.
        public init(name: String, json: String) { self.name = name; self.json = json }
    }

    /// Where the contract is defined, as the page cites it.
    public var source: String
    /// Every operation.
    public var operations: [Operation]
    /// Every component schema, by name.
    public var schemas: [Schema]

    /// Creates the contract.
    public init(source: String, operations: [Operation], schemas: [Schema]) {
        self.source = source
        self.operations = operations
        self.schemas = schemas.sorted { $0.name < $1.name }
    }
}

extension APIContract {
    /// The component a body description names: `Name` and `[Name]` name `Name`; an inline
    /// description (`object`, `string`) names none.
    static func componentName(_ body: String) -> String? {
        let name = body.hasPrefix("[") && body.hasSuffix("]") ? String(body.dropFirst().dropLast()) : body
        return name.first?.isUppercase == true ? name : nil
    }
}
