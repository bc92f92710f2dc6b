/// The one policy for strings that reach storage or a hash.
///
/// - **Identifiers and names** (tenant, project, account, app, key and signing-key names,
///   ids, versions, tags, repository and endpoint names, label keys, roles, scopes) must
///   not contain control characters (C0, DEL, C1 including U+0085 NEL), line or paragraph
///   separators (U+2028, U+2029), format characters (the BOM U+FEFF, zero-width and bidi
///   controls such as U+200B, U+202E, U+2066), private-use code points, noncharacters or
///   U+FFFD (what undecodable input turns into). They are refused with
///   ``ErrorCode/validationInvalidText`` before anything is stored, logged or hashed.
/// - **Free text** (messages, descriptions, reasons, manifests) is stored losslessly: it
///   reads back byte for byte as written, except that NUL (U+0000) is refused everywhere.
///   PostgreSQL `text` cannot hold NUL and SQLite hands it back cut at the NUL, so the
///   same rule on both backends is to never accept it.
/// - **Hashing** hashes exactly the UTF-8 of the value as stored and read back (no Unicode
///   normalisation: canonically equivalent spellings are different identifiers at the
///   byte level, and SQL compares bytes). Where a value must be recorded whatever it holds
///   (the audit record of a refused request), ``escapedIdentifier(_:)`` and
///   ``escapedFreeText(_:)`` turn it into its canonical, storable form first, and that form
///   is what is stored and hashed.
///
/// Lone surrogates cannot exist in a Swift `String`; a JSON `\ud800` escape is refused by
/// Foundation's `JSONDecoder` (`http.bad_request`), and invalid UTF-8 in a path becomes
/// U+FFFD, which identifiers refuse.
public enum TextPolicy {
    /// Whether `scalar` may appear in an identifier or name.
    public static func isAllowedInIdentifier(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate:
            return false
        default:
            return !scalar.properties.isNoncharacterCodePoint && scalar != "\u{FFFD}"
        }
    }

    /// Whether `scalar` may appear in stored free text (everything but NUL).
    public static func isAllowedInFreeText(_ scalar: Unicode.Scalar) -> Bool {
        scalar != "\u{0}"
    }

    /// The first scalar of `value` an identifier may not hold, with its scalar offset.
    public static func firstDisallowedInIdentifier(_ value: some StringProtocol) -> (offset: Int, scalar: Unicode.Scalar)? {
        for (offset, scalar) in value.unicodeScalars.enumerated() where !isAllowedInIdentifier(scalar) {
            return (offset, scalar)
        }
        return nil
    }

    /// Refuses an identifier or name that holds a disallowed character.
    /// - Parameters:
    ///   - value: The identifier as received.
    ///   - field: What it is (`app`, `path parameter project`), for the message.
    /// - Throws: ``ErrorCode/validationInvalidText``; the message names the character by
    ///   its code point and never echoes it raw.
    public static func requireIdentifier(_ value: some StringProtocol, field: String) throws(PlatformError) {
        guard let (offset, scalar) = firstDisallowedInIdentifier(value) else { return }
        throw PlatformError(
            .validationInvalidText,
            "\(field) contains \(codePoint(scalar)) at character \(offset + 1); identifiers and names may not contain control, format, separator or private-use characters",
            details: ["field": field, "codePoint": codePoint(scalar)])
    }

    /// Refuses each identifier of a list (scopes, tags).
    public static func requireIdentifiers(_ values: some Sequence<String>, field: String) throws(PlatformError) {
        for value in values { try requireIdentifier(value, field: field) }
    }

    /// Refuses free text that cannot be stored losslessly (holds NUL).
    /// - Throws: ``ErrorCode/validationInvalidText``.
    public static func requireFreeText(_ value: some StringProtocol, field: String) throws(PlatformError) {
        guard value.unicodeScalars.contains(where: { !isAllowedInFreeText($0) }) else { return }
        throw PlatformError(
            .validationInvalidText, "\(field) contains U+0000 (NUL), which no stored text may contain",
            details: ["field": field, "codePoint": "U+0000"])
    }

    /// The canonical, storable form of a value recorded as an identifier whatever it holds:
    /// each disallowed scalar becomes the visible escape `\u{HEX}`. Identity for a valid
    /// identifier.
    public static func escapedIdentifier(_ value: String) -> String {
        escaping(value, keep: isAllowedInIdentifier)
    }

    /// The canonical, storable form of free text recorded whatever it holds: NUL becomes
    /// `\u{0}`, everything else is kept. Identity for valid free text.
    public static func escapedFreeText(_ value: String) -> String {
        escaping(value, keep: isAllowedInFreeText)
    }

    /// `U+00XX` notation.
    public static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    private static func escaping(_ value: String, keep: (Unicode.Scalar) -> Bool) -> String {
        guard value.unicodeScalars.contains(where: { !keep($0) }) else { return value }
        var result = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            if keep(scalar) {
                result.append(scalar)
            } else {
                result.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            }
        }
        return String(result)
    }
}

/// A request body that knows which of its fields are identifiers and which free text; the
/// HTTP edge calls ``validateText()`` on every decoded body that conforms.
public protocol TextValidated {
    /// Throws ``ErrorCode/validationInvalidText`` when a field breaks ``TextPolicy``.
    func validateText() throws(PlatformError)
}
