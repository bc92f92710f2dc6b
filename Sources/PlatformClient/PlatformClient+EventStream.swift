import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import PlatformAPI

/// One Server-Sent Event of an endpoint that streams (`eventStream: true`), decoded as the
/// endpoint's element type.
public struct ServerSentEvent<Value: Sendable>: Sendable {
    /// The frame's `id:` (what a reconnecting client sends back as `Last-Event-ID`).
    public let id: String?
    /// The frame's `event:` name.
    public let event: String?
    /// The decoded `data:`.
    public let value: Value
}

extension PlatformClient {
    /// Opens `endpoint` as Server-Sent Events (`Accept: text/event-stream`) and yields each
    /// event's `data` decoded as the endpoint's element type, until the server closes the
    /// stream or the consuming task is cancelled. Comment frames (keep-alives) are skipped.
    /// - Parameters:
    ///   - lastEventID: Sent as `Last-Event-ID`, so the server resumes after it.
    ///   - timeout: How long the whole stream may stay open (the server closes its own
    ///     streams sooner; reconnect with the last id to go on).
    /// - Throws: ``PlatformClientError`` (also from the iteration).
    public func events<P, Q, E>(
        _ endpoint: Endpoint<P, Q, NoBody, [E]>, path: P, query: Q, lastEventID: String? = nil, timeout: Duration = .seconds(7200)
    ) async throws -> AsyncThrowingStream<ServerSentEvent<E>, any Error> {
        let url = server + endpoint.path(path) + Self.queryString(query.items)
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: endpoint.method.rawValue)
        request.headers.add(name: "Accept", value: "text/event-stream")
        request.headers.add(name: "User-Agent", value: userAgent)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let lastEventID { request.headers.add(name: "Last-Event-ID", value: lastEventID) }
        let response: HTTPClientResponse
        do {
            response = try await Self.httpClient.execute(request, timeout: .seconds(timeout.components.seconds))
        } catch {
            throw PlatformClientError.unreachable(server: server, reason: Self.describe(error))
        }
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            let bytes = (try? await response.body.collect(upTo: 1 << 20)) ?? ByteBuffer()
            throw PlatformClientError.rejected(PlatformClientError.Rejection(
                server: server, path: endpoint.path(path), status: status, body: Data(bytes.readableBytesView)))
        }
        let server = self.server
        return AsyncThrowingStream { continuation in
            let reading = Task {
                var parser = ServerSentEventParser()
                do {
                    for try await buffer in response.body {
                        for frame in parser.feed(Array(buffer.readableBytesView)) {
                            do {
                                let value = try JSONDecoder().decode(E.self, from: Data(frame.data.utf8))
                                continuation.yield(ServerSentEvent(id: frame.id, event: frame.event, value: value))
                            } catch {
                                throw PlatformClientError.unreadable(url: url, status: status, reason: "event \(frame.id ?? "?"): \(error)")
                            }
                        }
                    }
                    continuation.finish()
                } catch let error as PlatformClientError {
                    continuation.finish(throwing: error)
                } catch {
                    continuation.finish(throwing: Task.isCancelled ? CancellationError()
                                        : PlatformClientError.unreachable(server: server, reason: Self.describe(error)))
                }
            }
            continuation.onTermination = { _ in reading.cancel() }
        }
    }
}

/// Splits a `text/event-stream` body into frames (the WHATWG event-stream format: lines
/// ending in LF, CRLF or CR; `field: value`; a blank line dispatches; `:` lines are comments).
struct ServerSentEventParser {
    /// One dispatched frame.
    struct Frame: Equatable {
        var id: String?
        var event: String?
        var data: String
    }

    private var line: [UInt8] = []
    private var id: String?
    private var event: String?
    private var data: [String] = []
    private var afterCR = false

    /// The frames completed by `bytes`.
    mutating func feed(_ bytes: [UInt8]) -> [Frame] {
        var frames: [Frame] = []
        for byte in bytes {
            if afterCR {
                afterCR = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                afterCR = byte == UInt8(ascii: "\r")
                if let frame = endLine() { frames.append(frame) }
            } else {
                line.append(byte)
            }
        }
        return frames
    }

    private mutating func endLine() -> Frame? {
        defer { line.removeAll(keepingCapacity: true) }
        guard !line.isEmpty else {
            defer { event = nil; data = [] }
            return data.isEmpty ? nil : Frame(id: id, event: event, data: data.joined(separator: "\n"))
        }
        let text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix(":") { return nil }
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        var value = parts.count > 1 ? String(parts[1]) : ""
        if value.hasPrefix(" ") { value.removeFirst() }
        switch parts[0] {
        case "id": id = value
        case "event": event = value
        case "data": data.append(value)
        default: break
        }
        return nil
    }
}
