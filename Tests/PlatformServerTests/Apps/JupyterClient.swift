import AsyncHTTPClient
import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOCore
import NIOHTTP1

/// A user's JupyterLab, reached the one way a user reaches it: through the platform's connect
/// proxy (`/i/{instance}/{action}/…`) with a connect session's credential. Speaks Jupyter's
/// REST API and the kernel WebSocket (messaging protocol v5, JSON text frames), no more than
/// the contract tests need, so a test fails on the app's real answers, not a library's.
struct JupyterClient: Sendable {
    /// `http://host:port/i/{instance}/{action}`: the proxy prefix of the web action.
    let base: String
    /// The connect session's credential (`pcs_…`), sent as `Authorization: Bearer`.
    let credential: String
    /// Jupyter's own token (the platform secret), sent as `?token=`: the `Authorization`
    /// header carries the platform's credential, and the proxy strips it before the app.
    let token: String?

    struct Failure: Error, CustomStringConvertible { let description: String }

    func url(_ path: String) -> String {
        base + path + (token.map { (path.contains("?") ? "&" : "?") + "token=\($0)" } ?? "")
    }

    /// One REST call; returns the status and the body.
    func call(_ method: HTTPMethod, _ path: String, json: Any? = nil) async throws -> (UInt, Data) {
        var request = HTTPClientRequest(url: url(path))
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(credential)")
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 16 << 20)
        return (response.status.code, Data(body.readableBytesView))
    }

    /// `POST /api/kernels`: a new Python 3 kernel's id.
    func startKernel() async throws -> String {
        let (status, body) = try await call(.POST, "/api/kernels", json: ["name": "python3"])
        guard status == 201, let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any], let id = object["id"] as? String else {
            throw Failure(description: "POST /api/kernels answered \(status): \(String(decoding: body, as: UTF8.self))")
        }
        return id
    }

    /// Runs `code` in `kernel` over `/api/kernels/{kernel}/channels`: sends an
    /// `execute_request` on the shell channel and returns the `text/plain` of the
    /// `execute_result` that iopub publishes for it.
    func execute(_ code: String, kernel: String, timeout: Duration = .seconds(90)) async throws -> String {
        let socket = url("/api/kernels/\(kernel)/channels").replacingOccurrences(of: "http://", with: "ws://")
            + "&session_id=\(UUID().uuidString.lowercased())"
        let headers: HTTPFields = [.authorization: "Bearer \(credential)"]
        let messageID = UUID().uuidString.lowercased()
        let request: [String: Any] = [
            "header": ["msg_id": messageID, "username": "contract-test", "session": UUID().uuidString.lowercased(),
                       "msg_type": "execute_request", "version": "5.3", "date": ISO8601DateFormatter().string(from: Date())],
            "parent_header": [String: Any](), "metadata": [String: Any](), "channel": "shell", "buffers": [Any](),
            "content": ["code": code, "silent": false, "store_history": true, "user_expressions": [String: Any](),
                        "allow_stdin": false, "stop_on_error": true],
        ]
        let text = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
        let result = ResultBox()
        let logger = Logger(label: "jupyter-ws")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                _ = try await WebSocketClient.connect(url: socket, configuration: .init(maxFrameSize: 16 << 20, additionalHeaders: headers),
                                                      logger: logger) { inbound, outbound, _ in
                    try await outbound.write(.text(text))
                    for try await message in inbound.messages(maxSize: 16 << 20) {
                        let data: Data
                        switch message {
                        case .text(let string): data = Data(string.utf8)
                        case .binary: continue  // v1 binary framing is only used when asked for
                        }
                        guard let reply = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                              let parent = reply["parent_header"] as? [String: Any], parent["msg_id"] as? String == messageID,
                              let header = reply["header"] as? [String: Any] else { continue }
                        let content = reply["content"] as? [String: Any]
                        switch header["msg_type"] as? String {
                        case "execute_result":
                            let plain = (content?["data"] as? [String: Any])?["text/plain"] as? String
                            result.set(.success(plain ?? ""))
                            return
                        case "error":
                            result.set(.failure(Failure(description: "the kernel raised \(content?["ename"] ?? "?"): \(content?["evalue"] ?? "")")))
                            return
                        default: continue
                        }
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw Failure(description: "no execute_result for \(code) within \(timeout)")
            }
            try await group.next()
            group.cancelAll()
        }
        guard let outcome = result.value else { throw Failure(description: "the kernel WebSocket closed before an execute_result for \(code)") }
        return try outcome.get()
    }

    /// `PUT /api/contents/{path}`: saves a one-cell notebook whose source is `source`.
    func saveNotebook(_ path: String, source: String) async throws -> UInt {
        let notebook: [String: Any] = [
            "nbformat": 4, "nbformat_minor": 4, "metadata": [String: Any](),
            "cells": [["cell_type": "code", "source": source, "metadata": [String: Any](), "outputs": [Any](), "execution_count": NSNull()]],
        ]
        return try await call(.PUT, "/api/contents/\(path)", json: ["type": "notebook", "format": "json", "content": notebook]).0
    }

    /// `GET /api/contents/{path}`: the notebook's cell sources, or nil when it is not there.
    func notebookSources(_ path: String) async throws -> [String]? {
        let (status, body) = try await call(.GET, "/api/contents/\(path)?content=1")
        guard status == 200, let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              let content = object["content"] as? [String: Any], let cells = content["cells"] as? [[String: Any]] else { return nil }
        return cells.map { ($0["source"] as? String) ?? (($0["source"] as? [String])?.joined() ?? "") }
    }
}

/// The first outcome the WebSocket handler reports, read after it returns.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Result<String, any Error>?
    var value: Result<String, any Error>? { lock.withLock { stored } }
    func set(_ outcome: Result<String, any Error>) { lock.withLock { if stored == nil { stored = outcome } } }
}
