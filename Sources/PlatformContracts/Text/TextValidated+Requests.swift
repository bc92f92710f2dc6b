// Which fields of each request body are identifiers under ``TextPolicy`` (the rest is
// free text, whose only rule, no NUL, the HTTP edge applies to every body).

extension KeyRequest: TextValidated {
    /// The account and every scope are identifiers.
    public func validateText() throws(PlatformError) {
        try TextPolicy.requireIdentifier(serviceAccount, field: "serviceAccount")
        try TextPolicy.requireIdentifiers(scopes, field: "scopes")
    }
}

extension LaunchRequest: TextValidated {
    /// App, version, adapter, environment, GPU request and parameter names are identifiers;
    /// parameter values are free text.
    public func validateText() throws(PlatformError) {
        try TextPolicy.requireIdentifier(app, field: "app")
        for (field, value) in [("version", version), ("adapter", adapter), ("environment", environment), ("gpus", gpus)] {
            if let value { try TextPolicy.requireIdentifier(value, field: field) }
        }
        try TextPolicy.requireIdentifiers((params ?? [:]).keys, field: "params")
    }
}

extension ConnectRequest: TextValidated {
    /// Action, endpoint and type are identifiers; the SSH key line is checked by its parser.
    public func validateText() throws(PlatformError) {
        for (field, value) in [("action", action), ("endpoint", endpoint), ("type", type)] {
            if let value { try TextPolicy.requireIdentifier(value, field: field) }
        }
    }
}

extension SigningKeyRequest: TextValidated {
    /// The name is an identifier; the PEM is free text (it holds newlines).
    public func validateText() throws(PlatformError) {
        try TextPolicy.requireIdentifier(name, field: "name")
    }
}
