// The Swift SDK's first call (shown on the portal's Swift SDK page, run by the docs tests):
// authenticate with a key and ask the platform who you are.
// PLATFORM_SERVER: the platform's URL; PLATFORM_KEY_FILE: a file holding an API key.
import Foundation
import PlatformAPI
import PlatformClient
import PlatformContracts

let environment = ProcessInfo.processInfo.environment
let server = environment["PLATFORM_SERVER"] ?? "http://127.0.0.1:8080"
let key = try String(contentsOfFile: environment["PLATFORM_KEY_FILE"] ?? "key", encoding: .utf8)
    .trimmingCharacters(in: .whitespacesAndNewlines)

let client = PlatformClient(server: server, token: key)
let me = try await client.send(Endpoints.whoami)
print("\(me.principalName) (\(me.principalKind)) with \(me.scopes.count) scopes")
