import PlatformClient
import PlatformContracts

extension PlatformClient {
    /// The client for a resolved target, introducing itself as `appctl/VERSION`.
    init(target: ServerTarget) {
        self.init(server: target.server, token: target.token, userAgent: "appctl/\(PlatformVersion.version)")
    }
}

extension AppCtlError {
    /// `appctl`'s reading of a client failure: the server's own code when it sent a known one
    /// (so exit statuses follow the platform's codes), `client.*` codes otherwise.
    init(_ error: PlatformClientError) {
        switch error {
        case .unreachable(let server, let reason):
            self.init(.clientServerUnreachable, "cannot reach \(server): \(reason)")
        case .unreadable(let url, let status, let reason):
            self.init(.clientUnexpectedResponse, "\(url) answered \(status) with a body appctl cannot read: \(reason)")
        case .rejected(let rejection):
            guard let codeText = rejection.codeText, let message = rejection.message else {
                if rejection.status == 401 || rejection.status == 403 {
                    self.init(.clientUnauthorized,
                              "\(rejection.server) refused the credentials (\(rejection.status)); check --token or APPCTL_TOKEN")
                } else {
                    self.init(.clientUnexpectedResponse, "\(rejection.url) answered \(rejection.status)")
                }
                return
            }
            if rejection.status == 401 {
                self.init(.clientUnauthorized, "\(message) (\(codeText)); check --token, APPCTL_TOKEN or appctl login")
            } else if let code = rejection.code {
                self.init(code, message)
            } else {
                // A code this appctl does not know (a newer server's) still shows, in the message.
                self.init(.clientUnexpectedResponse, "\(message) [\(codeText)]")
            }
        }
    }
}
