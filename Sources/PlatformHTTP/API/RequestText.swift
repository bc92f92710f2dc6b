import Foundation
import Hummingbird
import PlatformAPI
import PlatformContracts

/// ``TextPolicy`` at the HTTP edge of `/v1`: path and query parameters are identifiers,
/// a JSON body may hold NUL nowhere (no store can keep it), and a body type that is
/// ``TextValidated`` (or, for the bodies PlatformAPI defines, ``RequestBodyText``) checks its
/// identifier fields. Runs before any handler or service, so
/// a refused value is never stored, hashed or logged raw.
enum RequestText {
    /// Refuses path or query parameters that hold characters identifiers may not.
    static func checkParameters(_ request: Request, _ context: PlatformRequestContext) throws {
        for (name, value) in context.parameters {
            try TextPolicy.requireIdentifier(value, field: "path parameter \(TextPolicy.escapedIdentifier(String(name)))")
        }
        for (name, value) in request.uri.queryParameters {
            let field = "query parameter \(TextPolicy.escapedIdentifier(String(name)))"
            try TextPolicy.requireIdentifier(name, field: field)
            try TextPolicy.requireIdentifier(value, field: field)
        }
    }

    /// Refuses a decoded body whose JSON holds `\u0000` anywhere or whose identifier fields
    /// break the policy.
    static func check(_ body: Any, json: Data) throws {
        if containsEscapedNUL(json) {
            throw PlatformError(.validationInvalidText, "the request body contains U+0000 (NUL), which no stored text may contain",
                                details: ["codePoint": "U+0000"])
        }
        if let validated = body as? any TextValidated { try validated.validateText() }
        if let validated = body as? any RequestBodyText { try validated.validateText() }
    }

    /// Whether valid JSON holds the escape `\u0000` (a raw NUL byte is not valid JSON).
    static func containsEscapedNUL(_ json: Data) -> Bool {
        let bytes = [UInt8](json)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            if index + 5 < bytes.count, bytes[index + 1] == UInt8(ascii: "u"),
               bytes[(index + 2)...(index + 5)].allSatisfy({ $0 == UInt8(ascii: "0") }) {
                return true
            }
            index += 2  // the escaped character (a backslash escapes exactly one)
        }
        return false
    }
}

/// The identifier fields of a request body that PlatformAPI defines (the contract module does
/// not know the edge's text policy; conforming it to ``TextValidated`` here would be a
/// retroactive conformance of an imported type to an imported protocol).
protocol RequestBodyText {
    /// Throws ``ErrorCode/validationInvalidText`` when a field breaks ``TextPolicy``.
    func validateText() throws(PlatformError)
}

extension NameRequest: RequestBodyText {
    func validateText() throws(PlatformError) {
        try TextPolicy.requireIdentifier(name, field: "name")
    }
}

extension ServiceAccountRequest: RequestBodyText {
    func validateText() throws(PlatformError) {
        try TextPolicy.requireIdentifier(name, field: "name")
        try TextPolicy.requireIdentifier(role, field: "role")
    }
}

extension AppRegistration: RequestBodyText {
    func validateText() throws(PlatformError) {
        if let file { try TextPolicy.requireIdentifier(file, field: "file") }
    }
}
