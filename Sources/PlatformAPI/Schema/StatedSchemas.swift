import PlatformContracts

// What reflection cannot see in the API's types, stated next to nothing else: each entry
// says why the derived schema would be wrong without it.

/// A tenant, project or service account name as `IAMDirectory.validateName` accepts it: it
/// stays a valid OCI name component, so `<tenant>/<project>/<name>` can address a repository.
let resourceNamePattern = "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"

/// Any JSON: its decoder tries each kind in turn, which reflection would read as "a boolean".
extension JSONValue: JSONSchemaDescribing {
    public static var jsonSchema: JSONSchema { .any }
    public static var jsonSchemaSample: JSONValue { .null }
}

/// RFC 3339 UTC text; the decoder refuses anything else, so it states its schema.
extension Timestamp: JSONSchemaDescribing {
    public static var jsonSchema: JSONSchema { JSONSchema(.string(format: "date-time")) }
    public static var jsonSchemaSample: Timestamp { Timestamp(millisecondsSinceEpoch: 0) }
}

/// A stable error code (`iam.forbidden`). Documented as text, not as the enum of today's
/// codes: a client generated from this document must still read a code added later.
extension ErrorCode: JSONSchemaDescribing {
    public static var jsonSchema: JSONSchema {
        JSONSchema(.string(pattern: "^[a-z0-9_]+(\\.[a-z0-9_]+)+$"), description: "A stable error code, `<area>.<reason>`.")
    }
    public static var jsonSchemaSample: ErrorCode { .iamForbidden }
}

/// The phase travels as its name (the failure reason beside it) and is checked on decoding.
extension InstanceRecord: JSONSchemaPropertyDescribing {
    public static var jsonSchemaProperties: [String: JSONSchemaProperty] {
        ["phase": .oneOf(InstancePhase.names, componentName: "InstancePhase"),
         "reason": .oneOf(FailureReason.allCases.map(\.rawValue), componentName: "FailureReason")]
    }
}

extension InstanceEvent: JSONSchemaPropertyDescribing {
    public static var jsonSchemaProperties: [String: JSONSchemaProperty] {
        ["phase": .oneOf(InstancePhase.names, componentName: "InstancePhase"),
         "reason": .oneOf(FailureReason.allCases.map(\.rawValue), componentName: "FailureReason")]
    }
}

extension NameRequest: JSONSchemaPropertyDescribing {
    public static var jsonSchemaProperties: [String: JSONSchemaProperty] {
        ["name": .pattern(resourceNamePattern, sample: "acme")]
    }
}

extension ServiceAccountRequest: JSONSchemaPropertyDescribing {
    public static var jsonSchemaProperties: [String: JSONSchemaProperty] {
        ["name": .pattern(resourceNamePattern, sample: "ci")]
    }
}

/// The connect vocabulary is kept as `String` in Swift (the manifest's action types).
let connectTypes = ["web", "port-forward", "ssh", "api"]

extension ConnectRequest: JSONSchemaPropertyDescribing {
    public static var jsonSchemaProperties: [String: JSONSchemaProperty] {
        ["type": .oneOf(connectTypes, componentName: "ConnectType")]
    }
}

extension ConnectSessionRecord: JSONSchemaPropertyDescribing {
    public static var jsonSchemaProperties: [String: JSONSchemaProperty] {
        ["type": .oneOf(connectTypes, componentName: "ConnectType"),
         "state": .oneOf(["active", "expired", "revoked", "ended"], componentName: "ConnectSessionState")]
    }
}
