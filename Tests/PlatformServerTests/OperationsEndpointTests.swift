import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PlatformContracts
import PlatformHTTP
import PlatformServer
import PlatformTestKit
import Testing

@Suite("Operations endpoints")
struct OperationsEndpointTests {
    @Test("/livez and /readyz answer application/health+json with pass on an empty data dir")
    func healthOnEmptyDataDir() async throws {
        try await withTemporaryDirectory { directory async throws in
            try await withLiveServer(directory) { client, _ async throws in
                try await client.execute(uri: "/livez", method: .get) { response async throws in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "application/health+json")
                    #expect(try decode(HealthReport.self, from: response.body).status == .pass)
                }
                try await client.execute(uri: "/readyz", method: .get) { response async throws in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "application/health+json")
                    let report = try decode(HealthReport.self, from: response.body)
                    #expect(report.status == .pass)
                    #expect(Set(report.checks.keys) == ["database:responseTime", "blobstore:writable", "outbox:oldest-pending",
                                                            "policy:age", "ledger:writer"])
                    #expect(report.checks["database:responseTime"]?.first?.observedUnit == "ms")
                    #expect(report.serviceId.flatMap(ULID.init(string:)) != nil)
                }
            }
        }
    }

    @Test("/metrics is Prometheus text with request counters and latency histograms")
    func metrics() async throws {
        try await withTemporaryDirectory { directory async throws in
            try await withLiveServer(directory) { client, _ async throws in
                try await client.execute(uri: "/livez", method: .get)
                try await client.execute(uri: "/no-such-route", method: .get)
                try await client.execute(uri: "/metrics", method: .get) { response async throws in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                    let body = text(response.body)
                    #expect(body.contains("# TYPE http_requests_total counter"))
                    #expect(body.contains("# TYPE http_request_duration_seconds histogram"))
                    #expect(body.contains(#"http_requests_total{method="GET",route="/livez",status="200"} 1"#))
                    #expect(body.contains(#"status="404""#))
                    for gauge in ["platform_outbox_pending", "platform_outbox_oldest_pending_seconds",
                                  "platform_outbox_delivery_failures", "platform_outbox_dead_letters"] {
                        #expect(body.contains("# TYPE \(gauge) gauge"), "\(gauge)")
                    }
                    #expect(body.contains(#"http_request_duration_seconds_bucket{method="GET",route="/livez",le="+Inf"} 1"#))
                    #expect(body.contains("# TYPE platform_policy_snapshot_age_seconds gauge"))
                    #expect(body.contains("# TYPE platform_policy_stale_rejects_total counter"))
                    for write in ["capacity", "authority", "financial"] {
                        #expect(body.contains(#"platform_policy_stale_rejects_total{write="\#(write)"} 0"#), "\(write)")
                    }
                }
            }
        }
    }

    @Test("/version reports build, backend, schema and a stable installation id")
    func version() async throws {
        try await withTemporaryDirectory { directory async throws in
            try await withLiveServer(directory) { client, _ async throws in
                try await client.execute(uri: "/version", method: .get) { response async throws in
                    #expect(response.status == .ok)
                    let info = try decode(VersionInfo.self, from: response.body)
                    #expect(info.name == "platformd")
                    #expect(info.version == PlatformVersion.version)
                    #expect(info.apiVersion == "v1")
                    #expect(info.databaseBackend == "sqlite")
                    #expect(info.schema == ["core": 1, "iam": 2, "audit": 2, "apps": 2, "secrets": 2, "artifacts": 2, "instances": 8, "metering": 2, "billing": 1, "connect": 2, "outbox": 1, "policy": 1, "notification": 1, "evidence": 1, "status": 1, "volumes": 1])
                    #expect(info.installationId.flatMap(ULID.init(string:)) != nil)
                    #expect(Timestamp(rfc3339: info.startedAt) != nil)
                }
            }
        }
    }

    @Test("an unknown route is a JSON error with a stable code and the request id")
    func notFoundIsJSON() async throws {
        try await withTemporaryDirectory { directory async throws in
            try await withLiveServer(directory) { client, _ async throws in
                var headers = HTTPFields()
                headers[RequestIDMiddleware.header] = "trace-123"
                try await client.execute(uri: "/v1/nothing", method: .get, headers: headers) { response async throws in
                    #expect(response.status == .notFound)
                    #expect(response.headers[.contentType] == "application/json")
                    #expect(response.headers[RequestIDMiddleware.header] == "trace-123")
                    let body = try decode(ErrorBody.self, from: response.body)
                    #expect(body.error.code == .httpNotFound)
                    #expect(body.error.requestId == "trace-123")
                    #expect(body.error.message.contains("/v1/nothing"))
                }
                var hostile = HTTPFields()
                hostile[RequestIDMiddleware.header] = "bad id\u{7f} with spaces"
                try await client.execute(uri: "/livez", method: .get, headers: hostile) { response async throws in
                    let echoed = response.headers[RequestIDMiddleware.header] ?? ""
                    #expect(!echoed.isEmpty && !echoed.contains(" "))
                }
            }
        }
    }

    @Test("the edge answers with each code's own status")
    func errorMappingIsTotal() {
        for code in ErrorCode.allCases {
            #expect(code.responseStatus.code == code.httpStatus.rawValue, "\(code)")
        }
        #expect(ErrorCode.storeUnavailable.responseStatus == .serviceUnavailable)
        #expect(ErrorCode.storeConflict.responseStatus == .conflict)
        #expect(ErrorCode.blobNotFound.responseStatus == .notFound)
    }
}
