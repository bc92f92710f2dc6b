/// JSON Schemas of the API's documents, for the OpenAPI components.
enum OpenAPISchemas {
    static func object(_ properties: [String: Any], required: [String]) -> [String: Any] {
        ["type": "object", "properties": properties, "required": required]
    }

    static var string: [String: Any] { ["type": "string"] }
    static var optionalString: [String: Any] { ["type": ["string", "null"]] }
    static var integer: [String: Any] { ["type": "integer"] }
    static var strings: [String: Any] { ["type": "array", "items": ["type": "string"]] }
    static func list(_ name: String) -> [String: Any] { ["type": "array", "items": ["$ref": "#/components/schemas/\(name)"]] }

    static var all: [String: Any] {
        [
        "Error": object(["error": object(["code": string, "message": string, "requestId": string,
                                          "details": ["type": "object", "additionalProperties": string]], required: ["code", "message"])],
                        required: ["error"]),
        "NameRequest": object(["name": string], required: ["name"]),
        "ServiceAccountRequest": object(["name": string, "role": string], required: ["name", "role"]),
        "KeyRequest": object(["serviceAccount": string, "scopes": strings, "expiresInSeconds": integer],
                             required: ["serviceAccount", "scopes", "expiresInSeconds"]),
        "RotateRequest": object(["overlapSeconds": integer], required: []),
        "AppRegistration": object(["file": string, "manifest": string], required: ["manifest"]),
        "Tenant": object(["id": string, "name": string, "createdAt": string], required: ["id", "name", "createdAt"]),
        "TenantList": list("Tenant"),
        "Project": object(["id": string, "tenantId": string, "name": string, "createdAt": string], required: ["id", "tenantId", "name", "createdAt"]),
        "ProjectList": list("Project"),
        "ServiceAccount": object(["id": string, "tenantId": string, "projectId": optionalString, "name": string, "role": string,
                                  "createdAt": string], required: ["id", "tenantId", "name", "role", "createdAt"]),
        "ServiceAccountList": list("ServiceAccount"),
        "APIKeyInfo": object(["id": string, "principalId": string, "tenantId": optionalString, "projectId": optionalString,
                              "scopes": strings, "createdAt": string, "expiresAt": string, "revokedAt": optionalString,
                              "replacedBy": optionalString, "registryVersion": integer],
                             required: ["id", "principalId", "scopes", "createdAt", "expiresAt", "registryVersion"]),
        "APIKeyList": list("APIKeyInfo"),
        "IssuedKey": object(["key": string, "info": ["$ref": "#/components/schemas/APIKeyInfo"]], required: ["key", "info"]),
        "Caller": object(["principalId": string, "principalName": string, "principalKind": string, "keyId": string,
                          "tenantId": optionalString, "projectId": optionalString, "scopes": strings, "expiresAt": string],
                         required: ["principalId", "principalName", "principalKind", "keyId", "scopes", "expiresAt"]),
        "AuditRecord": object(["sequence": integer, "id": string, "time": string, "tenant": optionalString, "project": optionalString,
                               "actor": string, "action": string, "target": string,
                               "outcome": ["enum": ["success", "denied", "failure"]], "requestId": optionalString,
                               "details": ["type": "object", "additionalProperties": string]],
                              required: ["sequence", "id", "time", "actor", "action", "target", "outcome", "details"]),
        "AuditRecordList": list("AuditRecord"),
        "AuditExport": object(["origin": string, "verifierKey": string, "size": integer, "headChainHash": string,
                               "entries": ["type": "array", "items": object(["record": ["$ref": "#/components/schemas/AuditRecord"],
                                                                             "leafHash": string, "chainHash": string],
                                                                            required: ["record", "leafHash", "chainHash"])],
                               "checkpoints": strings],
                              required: ["origin", "verifierKey", "size", "headChainHash", "entries", "checkpoints"]),
        "AppVersion": object(["projectId": string, "name": string, "version": string, "digest": string, "registeredBy": string,
                              "registeredAt": string, "registryVersions": ["type": "object", "additionalProperties": integer],
                              "manifest": string],
                             required: ["projectId", "name", "version", "digest", "registeredBy", "registeredAt", "registryVersions", "manifest"]),
        "AppVersionList": list("AppVersion"),
        "SigningKeyRequest": object(["name": string, "purpose": ["enum": ["artifact-signing"]], "publicKeyPEM": string],
                                    required: ["name", "publicKeyPEM"]),
        "SigningKey": object(["id": string, "projectId": string, "name": string, "purpose": string, "publicKeyPEM": string,
                              "status": ["enum": ["active", "retired", "revoked"]], "createdAt": string, "createdBy": string,
                              "revokedAt": optionalString, "replacedBy": optionalString],
                             required: ["id", "projectId", "name", "purpose", "publicKeyPEM", "status", "createdAt", "createdBy"]),
        "SigningKeyList": list("SigningKey"),
        "PromotionRequest": object(["to": ["enum": ["registered", "verified", "promoted:staging", "promoted:production",
                                                    "quarantined", "revoked"]]], required: ["to"]),
        "ArtifactSummary": object(["digest": string, "repository": string, "typeId": string, "state": string, "updatedAt": string],
                                  required: ["digest", "repository", "typeId", "state", "updatedAt"]),
        "ArtifactList": list("ArtifactSummary"),
        "Attestation": object(["kind": ["enum": ["dsse", "cosign"]], "referrer": string, "repository": string, "keyId": optionalString,
                               "keyName": optionalString, "keyStatus": optionalString, "signer": optionalString, "valid": ["type": "boolean"],
                               "code": optionalString, "reason": optionalString, "predicateType": optionalString,
                               "evidenceType": optionalString,
                               "source": object(["repository": string, "commit": string], required: ["repository", "commit"])],
                              required: ["kind", "referrer", "repository", "valid"]),
        "ArtifactStatus": object(["digest": string, "projectId": string, "repositories": strings, "tags": strings, "typeId": string,
                                  "state": string, "updatedAt": string, "signatures": list("Attestation"), "evidence": list("Attestation"),
                                  "provenance": object(["repository": string, "commit": string], required: ["repository", "commit"]),
                                  "gates": ["type": "array", "items": object(["to": string, "satisfied": ["type": "boolean"], "missing": strings],
                                                                             required: ["to", "satisfied", "missing"])]],
                                 required: ["digest", "projectId", "repositories", "tags", "typeId", "state", "updatedAt", "signatures",
                                            "evidence", "gates"]),
        "NodeList": ["type": "array", "items": object([
            "node": string,
            "devices": ["type": "array", "items": object([
                "device": object(["index": integer, "uuid": string, "name": string, "modelId": optionalString, "memoryMiB": integer,
                                  "migProfile": optionalString], required: ["index", "uuid", "name", "memoryMiB"]),
                "instance": optionalString,
            ], required: ["device"])],
        ], required: ["node", "devices"])],
        "Registry": ["type": "object", "properties": ["registry": string, "version": integer], "required": ["registry", "version"]],
        "HealthReport": object(["status": ["enum": ["pass", "warn", "fail"]], "version": string, "serviceId": string,
                                "description": string, "checks": ["type": "object"]], required: ["status"]),
        "VersionInfo": object(["name": string, "version": string, "apiVersion": string, "compiler": string, "platform": string,
                               "databaseBackend": string, "schema": ["type": "object", "additionalProperties": integer],
                               "installationId": optionalString, "startedAt": string],
                              required: ["name", "version", "apiVersion", "databaseBackend", "schema", "startedAt"]),
    ]
    }
}
