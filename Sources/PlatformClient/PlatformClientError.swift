import Foundation
import PlatformContracts

/// Why a ``PlatformClient`` call failed.
public enum PlatformClientError: Error, Sendable, CustomStringConvertible {
    /// No answer came: connection refused, DNS, TLS, or the timeout passed.
    case unreachable(server: String, reason: String)
    /// The server answered with a status that is not success.
    case rejected(Rejection)
    /// The server answered success but with a body that is not the endpoint's document.
    case unreadable(url: String, status: Int, reason: String)

    /// A non-success answer: its status and, when the server sent the platform's error body
    /// `{"error":{"code","message","requestId"}}`, that error.
    public struct Rejection: Sendable {
        /// The server's base URL.
        public let server: String
        /// The request's path and query.
        public let path: String
        /// HTTP status code.
        public let status: Int
        /// The stable code as sent (a newer server's code this client does not know stays here).
        public let codeText: String?
        /// What the server said went wrong.
        public let message: String?
        /// The server's correlation id of the request (quote it in reports).
        public let requestId: String?
        /// The whole body, for fields particular to one error (a manifest's diagnostics).
        public let body: Data

        /// Reads the platform error body when there is one.
        public init(server: String, path: String, status: Int, body: Data) {
            self.server = server
            self.path = path
            self.status = status
            self.body = body
            let envelope = try? JSONDecoder().decode(Envelope.self, from: body)
            codeText = envelope?.error.code
            message = envelope?.error.message
            requestId = envelope?.error.requestId
        }

        /// The platform's stable code, `nil` when the body carried none or one this client does not know.
        public var code: ErrorCode? { codeText.flatMap(ErrorCode.init(rawValue:)) }

        /// The request's URL.
        public var url: String { server + path }

        /// Whether the body was the platform's error body.
        public var isPlatformError: Bool { codeText != nil }

        struct Envelope: Decodable {
            struct Payload: Decodable { var code: String; var message: String; var requestId: String? }
            var error: Payload
        }
    }

    /// The HTTP status, `nil` when no answer came.
    public var status: Int? {
        switch self {
        case .unreachable: nil
        case .rejected(let rejection): rejection.status
        case .unreadable(_, let status, _): status
        }
    }

    /// The platform's error code when the server sent a known one.
    public var code: ErrorCode? {
        if case .rejected(let rejection) = self { rejection.code } else { nil }
    }

    /// What went wrong, in a sentence.
    public var message: String {
        switch self {
        case .unreachable(let server, let reason): "cannot reach \(server): \(reason)"
        case .rejected(let rejection): rejection.message ?? "\(rejection.url) answered \(rejection.status)"
        case .unreadable(let url, let status, let reason): "\(url) answered \(status) with a body the client cannot read: \(reason)"
        }
    }

    /// `message (code)` when a code came, else the message.
    public var description: String {
        if case .rejected(let rejection) = self, let code = rejection.codeText { return "\(message) (\(code))" }
        return message
    }
}
