import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore
import PlatformContracts

/// A console page's template, by its file name under `console/templates/` (without
/// `.mustache`). Each page family declares its templates as static values next to its routes;
/// ``ConsoleRenderer/load(from:)`` refuses to start when a declared one is missing.
public struct ConsoleTemplate: Sendable, Hashable {
    /// The file name without `.mustache`.
    public let name: String
    /// Names a template.
    public init(_ name: String) { self.name = name }

    /// The page frame every page inherits (`{{<layout}}{{$main}}…{{/main}}{{/layout}}`).
    static let layout = ConsoleTemplate("layout")
    /// The sign-in form.
    static let signIn = ConsoleTemplate("sign-in")
    /// An error answered as a page (status, stable code, message, request id).
    static let error = ConsoleTemplate("error")
}

/// The console's Mustache templates and static assets, read once at start from the
/// resources' `console/` folder (like the portal). Mustache escapes every `{{value}}`, so text
/// from the API (names, messages, log lines) is never markup.
public struct ConsoleRenderer: Sendable {
    let library: MustacheLibrary
    let templates: Set<String>
    /// `console/assets/NAME` → bytes, media type and ETag.
    let assets: [String: Asset]

    struct Asset: Sendable {
        let bytes: ByteBuffer
        let contentType: String
        let etag: String
    }

    /// Reads `folder/templates/*.mustache` and `folder/assets/*`.
    /// - Throws: ``ErrorCode/configInvalid`` when the folder, a template's syntax or the layout is wrong.
    public static func load(from folder: URL) throws(PlatformError) -> ConsoleRenderer {
        let files = FileManager.default
        let templateFolder = folder.appendingPathComponent("templates")
        let assetFolder = folder.appendingPathComponent("assets")
        guard let names = try? files.contentsOfDirectory(atPath: templateFolder.path) else {
            throw PlatformError(.configInvalid, "the console's templates are missing: no folder \(templateFolder.path)")
        }
        var library = MustacheLibrary()
        var templates: Set<String> = []
        for file in names.sorted() where file.hasSuffix(".mustache") {
            let name = String(file.dropLast(".mustache".count))
            let url = templateFolder.appendingPathComponent(file)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw PlatformError(.configInvalid, "cannot read the console template \(url.path)")
            }
            do {
                try library.register(text, named: name)
            } catch {
                throw PlatformError(.configInvalid, "the console template \(url.path) does not parse: \(error)")
            }
            templates.insert(name)
        }
        for required in [ConsoleTemplate.layout, .signIn, .error] where !templates.contains(required.name) {
            throw PlatformError(.configInvalid, "the console template \(required.name).mustache is missing from \(templateFolder.path)")
        }
        var assets: [String: Asset] = [:]
        for file in (try? files.contentsOfDirectory(atPath: assetFolder.path)) ?? [] {
            guard let data = files.contents(atPath: assetFolder.appendingPathComponent(file).path) else { continue }
            let type = switch (file as NSString).pathExtension {
            case "css": "text/css; charset=utf-8"
            case "js": "text/javascript; charset=utf-8"
            case "svg": "image/svg+xml"
            default: "application/octet-stream"
            }
            let digest = SHA256.hash(data: data).prefix(12).lowercaseHex
            assets[file] = Asset(bytes: ByteBuffer(bytes: data), contentType: type, etag: "\"\(digest)\"")
        }
        return ConsoleRenderer(library: library, templates: templates, assets: assets)
    }

    /// Whether the template exists (checked by the page families' tests and at registration).
    public func has(_ template: ConsoleTemplate) -> Bool { templates.contains(template.name) }

    /// The template rendered over `root`.
    /// - Throws: ``ErrorCode/internalError`` when the template is missing (a wiring mistake).
    func render(_ template: ConsoleTemplate, _ root: [String: Any]) throws(PlatformError) -> String {
        guard let text = library.render(Self.withoutNils(root) ?? root, withTemplate: template.name) else {
            throw PlatformError(.internalError, "no console template \(template.name)")
        }
        return text
    }

    /// `value` with every `nil` dropped from dictionaries and arrays and every `Optional` unwrapped:
    /// Mustache renders an `Optional.none` inside `[String: Any]` as the text "nil", and an
    /// absent key is what a template's `{{#x}}`/`{{^x}}` means by "not set".
    static func withoutNils(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            guard let wrapped = mirror.children.first?.value else { return nil }
            return withoutNils(wrapped)
        }
        if let dictionary = value as? [String: Any] {
            return dictionary.compactMapValues { withoutNils($0) }
        }
        if let array = value as? [Any], !(value is [String]) {
            return array.compactMap { withoutNils($0) }
        }
        return value
    }

    /// The headers every console HTML answer carries: never cached (it is per-user), never
    /// framed, scripts and styles only from the console itself.
    static func securePage(_ response: inout Response) {
        response.headers[.contentType] = "text/html; charset=utf-8"
        response.headers[.cacheControl] = "no-store"
        response.headers[.contentSecurityPolicy] = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
    }
}
