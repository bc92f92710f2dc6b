import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PlatformAPI
import PlatformClient
import PlatformContracts
import Testing

/// The Swift SDK against a tiny in-process HTTP server that records each request exactly as it
/// arrived and answers what the test queued: what goes on the wire (path, query, headers,
/// body) and how each kind of answer comes back (document, 204, exact bytes, errors).
@Suite("PlatformClient: typed requests on the wire, typed answers and errors")
struct PlatformClientTests {
    @Test func pathValuesArePercentEncodedAsOneSegmentAndQueriesAsItems() async throws {
        try await withServer([.json(200, "[]"), .json(200, "[]")]) { client, recorder in
            _ = try await client.send(Endpoints.listInstanceEvents, path: .init(project: "acme/ml", "a b?c"), query: EventsQuery(after: 5))
            _ = try await client.send(Endpoints.listConnectSessions, path: .init(project: "01jz"), query: ConnectSessionsQuery(instance: "x&y=z"))
            let requests = await recorder.requests
            #expect(requests.map(\.target) == [
                "/v1/projects/acme%2Fml/instances/a%20b%3Fc/events?after=5",
                "/v1/projects/01jz/connect-sessions?instance=x%26y%3Dz",
            ])
            #expect(requests.allSatisfy { $0.method == "GET" && $0.body.isEmpty && $0.contentType == nil })
        }
    }

    @Test func headersCarryTheTokenTheAcceptedTypeAndTheCallersUserAgent() async throws {
        try await withServer([.json(200, "[]")], userAgent: "tool/1") { client, recorder in
            _ = try await client.send(Endpoints.listTenants)
            let request = try #require(await recorder.requests.first)
            #expect(request.authorization == "Bearer secret-key")
            #expect(request.accept == "application/json")
            #expect(request.userAgent == "tool/1")
        }
    }

    @Test func bodyIsTheEndpointsJSONAndAnEndpointWithoutBodySendsNone() async throws {
        let tenant = #"{"id":"01TENANT","name":"acme","createdAt":"2026-01-01T00:00:00Z"}"#
        let instance = try String(decoding: JSONEncoder().encode(Self.instance), as: UTF8.self)
        try await withServer([.json(201, tenant), .json(200, instance)]) { client, recorder in
            let created = try await client.send(Endpoints.createTenant, body: NameRequest(name: "acme"))
            #expect(created == Tenant(id: "01TENANT", name: "acme", createdAt: "2026-01-01T00:00:00Z"))
            let stopped = try await client.send(Endpoints.stopInstance, path: .init(project: "p", "i"))
            #expect(stopped.id == Self.instance.id)
            let requests = await recorder.requests
            #expect(requests[0].method == "POST" && requests[0].target == "/v1/tenants")
            #expect(requests[0].contentType == "application/json")
            #expect(try JSONDecoder().decode(NameRequest.self, from: requests[0].body) == NameRequest(name: "acme"))
            #expect(requests[1].method == "POST" && requests[1].body.isEmpty && requests[1].contentType == nil)
        }
    }

    @Test func noContentAnswersDecodeAsNoContent() async throws {
        try await withServer([.empty(204)]) { client, recorder in
            let answer = try await client.send(Endpoints.deleteInstance, path: .init(project: "p", "i"))
            #expect(answer == NoContent())
            #expect(await recorder.requests.first?.method == "DELETE")
        }
    }

    @Test func sendRawReturnsTheExactBytes() async throws {
        // Whitespace and key order a decode-and-encode would not keep: the audit export is verified byte for byte.
        let bytes = "{ \"z\" : 1,\n  \"a\":[ ] }\n"
        try await withServer([.json(200, bytes)]) { client, _ in
            let response = try await client.sendRaw(Endpoints.exportAudit)
            #expect(response.status == 200)
            #expect(response.body == Data(bytes.utf8))
        }
    }

    @Test func acceptedStatusesComeBackInsteadOfThrown() async throws {
        let refusal = #"{"error":{"code":"manifest.invalid","message":"bad","diagnostics":[]}}"#
        try await withServer([.json(400, refusal)]) { client, _ in
            let response = try await client.sendRaw(
                Endpoints.registerApp, path: .init(project: "p"), body: AppRegistration(manifest: "x"), acceptedStatuses: [400])
            #expect(response.status == 400 && response.body == Data(refusal.utf8))
        }
    }

    @Test func platformErrorBodyBecomesStatusCodeMessageAndRequestId() async throws {
        let body = #"{"error":{"code":"iam.forbidden","message":"the key lacks apps:instance:read","requestId":"req-7"}}"#
        try await withServer([.json(403, body)]) { client, _ in
            let error = await #expect(throws: PlatformClientError.self) {
                _ = try await client.send(Endpoints.listInstances, path: .init(project: "p"), query: InstancesQuery())
            }
            guard case .rejected(let rejection)? = error else { Issue.record("not rejected: \(String(describing: error))"); return }
            #expect(rejection.status == 403 && error?.status == 403)
            #expect(rejection.code == .iamForbidden && error?.code == .iamForbidden)
            #expect(rejection.message == "the key lacks apps:instance:read")
            #expect(rejection.requestId == "req-7")
            #expect(rejection.path == "/v1/projects/p/instances")
            #expect(error?.description == "the key lacks apps:instance:read (iam.forbidden)")
        }
    }

    @Test func aCodeThisClientDoesNotKnowKeepsItsText() async throws {
        try await withServer([.json(409, #"{"error":{"code":"future.thing","message":"newer"}}"#)]) { client, _ in
            let error = await #expect(throws: PlatformClientError.self) { _ = try await client.send(Endpoints.whoami) }
            guard case .rejected(let rejection)? = error else { Issue.record("not rejected"); return }
            #expect(rejection.code == nil && rejection.codeText == "future.thing" && rejection.message == "newer")
        }
    }

    @Test func anAnswerWithoutThePlatformErrorBodyKeepsItsStatus() async throws {
        try await withServer([.json(502, "<html>bad gateway</html>")]) { client, _ in
            let error = await #expect(throws: PlatformClientError.self) { _ = try await client.send(Endpoints.whoami) }
            guard case .rejected(let rejection)? = error else { Issue.record("not rejected"); return }
            #expect(rejection.status == 502 && !rejection.isPlatformError && rejection.code == nil)
            #expect(error?.message.hasSuffix("/v1/whoami answered 502") == true)
        }
    }

    @Test func aSuccessBodyThatIsNotTheDocumentIsUnreadable() async throws {
        try await withServer([.json(200, "not json")]) { client, _ in
            let error = await #expect(throws: PlatformClientError.self) { _ = try await client.send(Endpoints.whoami) }
            guard case .unreadable(_, let status, _)? = error else { Issue.record("not unreadable: \(String(describing: error))"); return }
            #expect(status == 200)
        }
    }

    // Wall-clock bound: serial, with the integration tier (phase 1 runs hundreds of tests at once on two cores).
    @Test(.tags(.integration, .timing)) func anUnreachableServerIsItsOwnCaseAndFailsFast() async throws {
        // A port nothing listens on: the connection is refused at once (no retry until the timeout).
        let client = PlatformClient(server: "http://127.0.0.1:9/", token: nil, timeout: .seconds(30))
        #expect(client.server == "http://127.0.0.1:9")
        let started = ContinuousClock.now
        let error = await #expect(throws: PlatformClientError.self) { _ = try await client.send(Endpoints.whoami) }
        guard case .unreachable(let server, _)? = error else { Issue.record("not unreachable: \(String(describing: error))"); return }
        #expect(server == "http://127.0.0.1:9" && error?.status == nil)
        #expect(ContinuousClock.now - started < .seconds(20))
    }

    // MARK: - The server

    static let instance = InstanceRecord(
        id: "01INST", projectId: "p", app: "gpu-echo", version: "1.0.0", adapter: "local", environment: "staging", mode: .service,
        phase: .stopping, message: nil, image: "img", node: nil, gpus: [], gpuCount: 0, endpoints: [], launchedBy: "me",
        createdAt: "2026-01-01T00:00:00Z", updatedAt: "2026-01-01T00:00:00Z")

    /// An answer the server gives.
    struct Answer: Sendable {
        var status: Int
        var body: String
        static func json(_ status: Int, _ body: String) -> Answer { Answer(status: status, body: body) }
        static func empty(_ status: Int) -> Answer { Answer(status: status, body: "") }
    }

    /// A request as it arrived.
    struct Recorded: Sendable {
        var method: String
        /// The request target as sent: path and query, still percent-encoded.
        var target: String
        var authorization: String?
        var accept: String?
        var userAgent: String?
        var contentType: String?
        var body: Data
    }

    actor Recorder {
        var answers: [Answer]
        var requests: [Recorded] = []
        init(_ answers: [Answer]) { self.answers = answers }
        func record(_ request: Recorded) -> Answer {
            requests.append(request)
            return answers.isEmpty ? .json(599, "no answer queued") : answers.removeFirst()
        }
    }

    /// Serves `answers` in order on a free port while `body` runs with a client for it.
    func withServer(
        _ answers: [Answer], userAgent: String? = nil, _ body: @Sendable (PlatformClient, Recorder) async throws -> Void
    ) async throws {
        let recorder = Recorder(answers)
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            var request = request
            let bytes = try await request.collectBody(upTo: 1 << 20)
            let answer = await recorder.record(Recorded(
                method: request.method.rawValue, target: request.head.path ?? "", authorization: request.headers[.authorization],
                accept: request.headers[.accept], userAgent: request.headers[.userAgent], contentType: request.headers[.contentType],
                body: Data(bytes.readableBytesView)))
            var headers = HTTPFields()
            if !answer.body.isEmpty { headers[.contentType] = "application/json" }
            return Response(status: .init(code: answer.status), headers: headers,
                            body: .init(byteBuffer: ByteBuffer(string: answer.body)))
        }
        let app = Application(responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { testClient in
            let port = try #require(testClient.port)
            let client = PlatformClient(server: "http://127.0.0.1:\(port)", token: "secret-key", userAgent: userAgent)
            try await body(client, recorder)
        }
    }
}

extension Tag {
    /// The integration tier and its timing lane (`PlatformTestKit` declares them too; this
    /// target does not link it): scripts/test-tier.sh finds tests by the tags' names.
    @Tag static var integration: Self
    @Tag static var timing: Self
}
