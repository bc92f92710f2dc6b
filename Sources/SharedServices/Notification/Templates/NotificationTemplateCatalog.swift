import Foundation
import Mustache
import PlatformContracts

/// A rendered notification: plain text, ready for a channel.
public struct RenderedNotification: Sendable, Equatable {
    public var subject: String
    public var body: String
}

/// The notification-template registry compiled with swift-mustache.
///
/// swift-mustache renders a missing variable as empty text, which would send "Your app
/// failed: " with no reason. So the catalog checks twice: at load, every variable a
/// template names must be declared in its `variables` (``ErrorCode/configInvalid``); at
/// render, the event must supply every declared variable
/// (``ErrorCode/notificationTemplateVariableMissing``). Templates are compiled with the
/// `TEXT` content type: every channel carries plain text, and HTML escaping would turn
/// `R&D` into `R&amp;D` in an email subject.
public struct NotificationTemplateCatalog: Sendable {
    private struct Document: Decodable {
        var templates: [NotificationTemplate]
    }

    private struct Compiled: Sendable {
        var template: NotificationTemplate
        var subject: MustacheTemplate
        var body: MustacheTemplate
    }

    private let compiled: [String: Compiled]

    /// The templates, by id.
    public var templates: [String: NotificationTemplate] { compiled.mapValues(\.template) }

    /// Compiles the registry as the server serves it (`RegistrySet.documents`).
    /// - Throws: ``ErrorCode/configInvalid`` when the document does not decode, a template
    ///   does not parse, or names a variable it does not declare.
    public init(registryJSON: [UInt8]) throws(PlatformError) {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: Data(registryJSON))
        } catch {
            throw PlatformError(.configInvalid, "the notification-template registry does not decode: \(error)")
        }
        try self.init(templates: document.templates)
    }

    /// Compiles templates.
    /// - Throws: ``ErrorCode/configInvalid`` as ``init(registryJSON:)``.
    public init(templates: [NotificationTemplate]) throws(PlatformError) {
        var compiled: [String: Compiled] = [:]
        for template in templates {
            let declared = Set(template.variables)
            for (field, text) in [("subject", template.subject), ("body", template.body)] {
                if let unknown = TemplateVariables.names(in: text).first(where: { !declared.contains($0) }) {
                    throw PlatformError(.configInvalid, "notification template \(template.templateId): \(field) names variable \(unknown), which is not in `variables`")
                }
            }
            compiled[template.templateId] = Compiled(
                template: template, subject: try Self.compile(template.subject, id: template.templateId),
                body: try Self.compile(template.body, id: template.templateId))
        }
        self.compiled = compiled
    }

    /// Renders a template from an event's fields.
    /// - Throws: ``ErrorCode/configInvalid`` for an unknown template id;
    ///   ``ErrorCode/notificationTemplateVariableMissing`` when `context` lacks a declared variable.
    public func render(_ templateId: String, context: [String: String]) throws(PlatformError) -> RenderedNotification {
        guard let entry = compiled[templateId] else {
            throw PlatformError(.configInvalid, "no notification template \(templateId) in the registry")
        }
        if let missing = entry.template.variables.first(where: { context[$0] == nil }) {
            throw PlatformError(.notificationTemplateVariableMissing,
                                "notification template \(templateId) needs variable \(missing), which the event does not supply")
        }
        return RenderedNotification(subject: entry.subject.render(context), body: entry.body.render(context))
    }

    private static func compile(_ text: String, id: String) throws(PlatformError) -> MustacheTemplate {
        do {
            return try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + text)
        } catch {
            throw PlatformError(.configInvalid, "notification template \(id) does not parse as Mustache: \(error)")
        }
    }
}
