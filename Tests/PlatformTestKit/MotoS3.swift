import Foundation
import PlatformStore

/// A real S3-protocol server for a test: moto's server mode (`scripts/s3/moto_server.py`)
/// with signature checking on, a bucket, and an IAM access key whose policy allows it.
/// `checkSignatures: false` is only for pre-signed URLs, which moto cannot serve while it
/// checks signatures (see the script).
///
/// moto comes from `scripts/install-deps.sh` (a virtual environment under
/// `/var/cache/platform-tools`); `PLATFORM_MOTO_PYTHON` names another interpreter with moto.
public final class MotoS3: Sendable {
    /// `http://127.0.0.1:PORT`.
    public let endpoint: URL
    /// The bucket made for the test.
    public let bucket: String
    /// The key pair moto checks signatures against.
    public let credentials: SigV4Credentials
    private let process: ChildProcess

    /// The interpreter with moto installed.
    public static var python: String {
        ProcessInfo.processInfo.environment["PLATFORM_MOTO_PYTHON"] ?? "/var/cache/platform-tools/moto-5.2.6/bin/python"
    }

    private init(endpoint: URL, bucket: String, credentials: SigV4Credentials, process: ChildProcess) {
        self.endpoint = endpoint
        self.bucket = bucket
        self.credentials = credentials
        self.process = process
    }

    /// Starts a server (on a free port) and waits until its bucket exists.
    public static func start(in folder: URL, bucket: String = "platform-blobs", checkSignatures: Bool = true) async throws -> MotoS3 {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw MotoError(message: "no moto at \(python): run scripts/install-deps.sh (or set PLATFORM_MOTO_PYTHON)")
        }
        let credentialsFile = folder.appendingPathComponent("moto-credentials.json")
        let script = AppImages.repositoryRoot.appendingPathComponent("scripts/s3/moto_server.py").path
        let process = try ChildProcess(python, [script, "--credentials", credentialsFile.path, "--bucket", bucket]
                                           + (checkSignatures ? [] : ["--unchecked"]),
                                       outputPath: folder.appendingPathComponent("moto.log").path)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let data = try? Data(contentsOf: credentialsFile) {
                let fields = try JSONDecoder().decode([String: JSONScalar].self, from: data)
                guard case .text(let endpoint)? = fields["endpoint"], let url = URL(string: endpoint),
                      case .text(let key)? = fields["accessKeyId"], case .text(let secret)? = fields["secretAccessKey"] else {
                    break
                }
                return MotoS3(endpoint: url, bucket: bucket,
                              credentials: SigV4Credentials(accessKeyID: key, secretAccessKey: secret), process: process)
            }
            if await process.wait(timeout: .zero) != nil { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        await process.terminate()
        throw MotoError(message: "moto did not come up within 60 s:\n\(process.output)")
    }

    /// The bucket as an ``S3Bucket`` with these (or other) credentials.
    public func s3Bucket(credentials: SigV4Credentials? = nil, prefix: String = "", redirectSeconds: Int? = nil,
                         partSize: Int = S3Bucket.minimumPartSize) -> S3Bucket {
        S3Bucket(endpoint: endpoint, name: bucket, region: "us-east-1", prefix: prefix, credentials: credentials ?? self.credentials,
                 redirectSeconds: redirectSeconds, partSize: partSize)
    }

    /// The `--blob-store` URL of the bucket.
    public func blobStoreURL(prefix: String = "", redirectSeconds: Int? = nil) -> String {
        "s3://\(bucket)\(prefix.isEmpty ? "" : "/" + prefix)?endpoint=\(endpoint.absoluteString)&region=us-east-1"
            + (redirectSeconds.map { "&redirect=\($0)" } ?? "")
    }

    /// The server's log so far (each request it answered).
    public var log: String { process.output }

    /// Stops the server.
    public func stop() async {
        process.signal(SIGTERM)
        if await process.wait(timeout: .seconds(5)) == nil { await process.terminate() }
    }

    /// Runs `body` with a fresh server, stopped afterwards whatever happens.
    public static func with<T>(checkSignatures: Bool = true, _ body: (MotoS3) async throws -> T) async throws -> T {
        try await withTemporaryDirectory { folder async throws in
            let server = try await start(in: folder.url, checkSignatures: checkSignatures)
            do {
                let result = try await body(server)
                await server.stop()
                return result
            } catch {
                await server.stop()
                throw error
            }
        }
    }
}

/// moto could not be started.
public struct MotoError: Error, CustomStringConvertible {
    /// What went wrong.
    public let message: String
    public var description: String { message }
}

/// A JSON scalar of the credentials file.
private enum JSONScalar: Decodable {
    case text(String)
    case number(Double)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) { self = .text(text) } else { self = .number(try container.decode(Double.self)) }
    }
}
