/// The JSON body of every error response:
/// `{"error":{"code":"store.unavailable","message":"…","details":{…},"requestId":"…"}}`.
public struct ErrorBody: Codable, Sendable, Equatable {
    /// The error itself.
    public struct Payload: Codable, Sendable, Equatable {
        /// The stable code.
        public var code: ErrorCode
        /// What failed.
        public var message: String
        /// Extra context, if any.
        public var details: [String: String]?
        /// The request's correlation id.
        public var requestId: String?
    }

    /// The error.
    public var error: Payload

    /// Creates a body.
    public init(code: ErrorCode, message: String, details: [String: String]?, requestID: String?) {
        self.error = Payload(code: code, message: message, details: details, requestId: requestID)
    }
}
