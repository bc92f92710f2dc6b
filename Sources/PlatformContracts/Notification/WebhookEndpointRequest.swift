/// The body of `POST /v1/projects/{project}/webhooks`: where to deliver and which templates.
public struct WebhookEndpointRequest: Sendable, Codable, Hashable {
    /// An absolute http(s) URL the signed deliveries are POSTed to.
    public var url: String
    /// Template ids to deliver (`instance.failed`, …); empty or absent means every template.
    public var templates: [String]?

    /// Creates the request.
    public init(url: String, templates: [String]? = nil) {
        self.url = url
        self.templates = templates
    }
}
