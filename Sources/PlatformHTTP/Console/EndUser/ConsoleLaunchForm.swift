import Foundation
import ManifestKit
import PlatformContracts

/// The launch form of one app version, generated from its manifest's `params`: one control
/// per parameter (integer → number, boolean → checkbox, `enum` → select, string → text), the
/// manifest's default preselected, its description as the control's hint; then the GPU ask
/// (when the manifest asks for GPUs), the adapter and the environment. The same type turns a
/// posted form back into the API's ``LaunchRequest``, and shows it again with the API's
/// refusal: validation stays the API's (the console adds no rule of its own), so the form
/// and `appctl launch` fail alike.
struct ConsoleLaunchForm {
    /// The manifest, or `nil` when the caller cannot read it (a platform catalog version whose
    /// source project it does not reach): then only the defaults apply.
    let manifest: ConsoleAppManifest?
    /// The posted form when shown again, else `nil` (defaults).
    let submitted: ConsoleForm?

    /// The environments the API's admission knows; empty: the server's default.
    static let environments = ["development", "staging", "production"]

    /// The form field of parameter `name` (`param.NAME`; the control's id is `param-NAME`).
    static func field(_ name: String) -> String { "param.\(name)" }

    /// The request the posted form asks for: every declared parameter with a value (a blank
    /// text field leaves the manifest's default to the API), the GPU ask when it differs
    /// from the manifest's, the adapter and environment when chosen.
    func request(app: String, version: String) -> LaunchRequest {
        let form = submitted ?? ConsoleForm()
        var params: [String: String] = [:]
        for param in manifest?.params ?? [] {
            guard let value = form.all(Self.field(param.name)).last?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { continue }
            params[param.name] = value
        }
        return LaunchRequest(app: app, version: version, adapter: form.text("adapter"), environment: form.text("environment"),
                             gpus: gpuAsk(form), params: params.isEmpty ? nil : params)
    }

    /// `MODEL:N` or `N` when the form changed the manifest's GPU request, else `nil`.
    func gpuAsk(_ form: ConsoleForm) -> String? {
        guard let gpu = manifest?.resources?.gpu, let count = form.text("gpus") else { return nil }
        let model = form.text("gpu-model")
        if count == String(gpu.count ?? 0), model == nil || model == gpu.models?.first { return nil }
        return model.map { "\($0):\(count)" } ?? count
    }

    /// The template model of the parameter controls, the GPU ask, adapters and environments.
    /// - Parameter errors: Messages by parameter name (the API's `details.param`).
    func model(errors: [String: String]) -> [String: Any] {
        var model: [String: Any] = [:]
        let params = (manifest?.params ?? []).map { param(of: $0, error: errors[$0.name]) }
        model["params"] = params
        model["hasParams"] = !params.isEmpty
        model["paramsUnknown"] = manifest == nil
        if let gpu = manifest?.resources?.gpu {
            let count = submitted?.text("gpus") ?? String(gpu.count ?? 0)
            let chosen = submitted?.text("gpu-model") ?? gpu.models?.first
            var ask: [String: Any] = ["count": count]
            let models = gpu.models ?? []
            if !models.isEmpty {
                ask["models"] = models.map { ["value": $0, "selected": $0 == chosen] as [String: Any] }
                ask["hasModels"] = true
            }
            model["gpu"] = ask
        }
        let adapters = manifest?.runtime?.adapters ?? []
        let adapter = submitted?.text("adapter")
        model["adapters"] = adapters.map { ["value": $0, "selected": $0 == adapter] as [String: Any] }
        model["hasAdapters"] = !adapters.isEmpty
        let environment = submitted?.text("environment")
        model["environments"] = Self.environments.map { ["value": $0, "selected": $0 == environment] as [String: Any] }
        return model
    }

    /// One control: its kind, current value (posted, else the default), options and hint.
    func param(of param: ConsoleAppManifest.Param, error: String?) -> [String: Any] {
        let posted = submitted?.all(Self.field(param.name)).last
        let value = posted ?? param.default?.text ?? ""
        let type = param.type ?? "string"
        var control: [String: Any] = [
            "name": param.name, "field": Self.field(param.name), "value": value, "type": type,
            "required": param.required == true && param.default == nil,
        ]
        var described: [String] = []
        if let description = param.description, !description.isEmpty {
            control["hint"] = description
            described.append("hint-\(param.name)")
        }
        if let defaultValue = param.default?.text { control["default"] = defaultValue }
        if let error {
            control["error"] = error
            described.append("error-\(param.name)")
        }
        if !described.isEmpty { control["describedBy"] = described.joined(separator: " ") }
        if let options = param.enum, !options.isEmpty {
            control["isEnum"] = true
            var list: [[String: Any]] = []
            if param.default == nil, param.required != true { list.append(["value": "", "label": "(none)", "selected": value.isEmpty]) }
            list += options.map { ["value": $0.text, "label": $0.text, "selected": $0.text == value] as [String: Any] }
            control["options"] = list
        } else if type == "boolean" {
            control["isBoolean"] = true
            control["checked"] = value == "true"
        } else if type == "integer" || type == "number" {
            control["isNumber"] = true
            control["step"] = type == "integer" ? "1" : "any"
        } else {
            control["isText"] = true
        }
        return control
    }
}
