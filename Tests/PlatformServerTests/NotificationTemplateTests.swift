import Foundation
import NotificationService
import PlatformContracts
import PlatformTestKit
import RegistryService
import Testing

@Suite("Notification templates and preferences")
struct NotificationTemplateTests {
    static let checkoutRegistries = RegistryTests.checkoutRegistries

    /// The checkout's registries with `file` edited, loaded as the server loads them.
    static func loadEdited(_ file: String, find: String, replace: String) async throws -> RegistrySet {
        try await withTemporaryDirectory { directory async throws in
            let registries = directory.appending("platform")
            try FileManager.default.createDirectory(at: registries, withIntermediateDirectories: true)
            for name in try FileManager.default.contentsOfDirectory(atPath: checkoutRegistries.path) {
                // Folders (evidence-schemas/) are copied as they are.
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: checkoutRegistries.appendingPathComponent(name).path, isDirectory: &isFolder), isFolder.boolValue {
                    try FileManager.default.copyItem(at: checkoutRegistries.appendingPathComponent(name), to: registries.appendingPathComponent(name))
                    continue
                }
                var text = try String(contentsOf: checkoutRegistries.appendingPathComponent(name), encoding: .utf8)
                if name == file {
                    #expect(text.contains(find))
                    text = text.replacingOccurrences(of: find, with: replace)
                }
                try text.write(to: registries.appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
            return try RegistrySet.load(RegistryFiles(directory: registries))
        }
    }

    static func checkoutCatalog() throws -> NotificationTemplateCatalog {
        let set = try RegistrySet.load(RegistryFiles(directory: checkoutRegistries))
        return try NotificationTemplateCatalog(registryJSON: try #require(set.documents["notification-template"]))
    }

    @Test func everyRegistryTemplateRendersWithASampleEventOfItsFields() throws {
        let catalog = try Self.checkoutCatalog()
        #expect(Set(catalog.templates.keys).isSuperset(of: ["instance.ready", "instance.failed", "key.expiring", "artifact.promoted", "quota.threshold"]))
        for template in catalog.templates.values {
            let context = Dictionary(uniqueKeysWithValues: template.variables.map { ($0, "<\($0)-value>") })
            let rendered = try catalog.render(template.templateId, context: context)
            for variable in template.variables where template.subject.contains(variable) || template.body.contains(variable) {
                #expect((rendered.subject + rendered.body).contains("<\(variable)-value>"), "\(template.templateId): \(variable)")
            }
            #expect(!rendered.subject.contains("{{") && !rendered.body.contains("{{"))
            #expect(!template.channels.isEmpty && template.version >= 1)
        }
    }

    @Test func textChannelsAreNotHTMLEscaped() throws {
        let rendered = try Self.checkoutCatalog().render(
            "instance.failed", context: ["app": "R&D <lab>", "instance": "i-1", "reason": "exit \"137\""])
        #expect(rendered.subject == "Your app R&D <lab> failed: exit \"137\"")
    }

    @Test func missingEventVariableIsAnErrorNotABlank() throws {
        let error = #expect(throws: PlatformError.self) {
            _ = try Self.checkoutCatalog().render("instance.failed", context: ["app": "a", "instance": "i-1"])
        }
        #expect(error?.code == .notificationTemplateVariableMissing)
        #expect(error?.code.rawValue == "notification.template_variable_missing")
    }

    @Test func templateNamingAnUnknownVariableIsRefusedAtLoad() async throws {
        let error = await #expect(throws: PlatformError.self) {
            _ = try await Self.loadEdited("notification-templates.yaml",
                                          find: "body: \"Instance {{instance}} of {{app}} failed: {{reason}}.\"",
                                          replace: "body: \"Instance {{instance}} of {{app}} failed: {{cause}}.\"")
        }
        #expect(error?.code == .configInvalid)
        #expect(error?.message.contains("names variable cause") == true, "\(error?.message ?? "")")
        let template = NotificationTemplate(
            templateId: "t", version: 1, productId: "apps", channels: [.email], severity: .info, category: "lifecycle",
            subject: "{{{nope}}}", body: "ok", variables: [])
        #expect(throws: PlatformError.self) { _ = try NotificationTemplateCatalog(templates: [template]) }
    }

    @Test func unknownChannelOrSeverityIsRefused() async throws {
        let channel = await #expect(throws: PlatformError.self) {
            _ = try await Self.loadEdited("notification-templates.yaml", find: "channels: [email, in-app]", replace: "channels: [email, pager]")
        }
        #expect(channel?.code == .configInvalid)
        #expect(channel?.message.contains("names unknown channel pager") == true, "\(channel?.message ?? "")")
        let severity = await #expect(throws: PlatformError.self) {
            _ = try await Self.loadEdited("notification-templates.yaml", find: "severity: critical", replace: "severity: urgent")
        }
        #expect(severity?.message.contains("names unknown severity urgent") == true, "\(severity?.message ?? "")")
        let missing = await #expect(throws: PlatformError.self) {
            _ = try await Self.loadEdited("notification-templates.yaml", find: "    category: security\n", replace: "")
        }
        #expect(missing?.message.contains("`category` is missing") == true, "\(missing?.message ?? "")")
    }

    @Test func preferencesCannotMuteSecurityOrBillingNotices() throws {
        let templates = try Self.checkoutCatalog().templates
        var preferences = NotificationPreferences(principal: PrincipalID("p-1"), project: "demo")
        for id in templates.keys { preferences.mute(id) }
        let security = try #require(templates["key.expiring"])
        let billing = try #require(templates["quota.threshold"])
        let lifecycle = try #require(templates["instance.ready"])
        #expect(security.category == "security" && billing.category == "billing")
        #expect(preferences.allows(security))
        #expect(preferences.allows(billing))
        #expect(!preferences.allows(lifecycle))
        #expect(NotificationPreferences(principal: PrincipalID("p-1"), project: "demo").allows(lifecycle))
    }
}
