import Crypto
import Foundation
import Logging
import NIOSSL
import SwiftASN1
import Synchronization
import X509

/// The listener's TLS certificate chain and private key, read from two PEM files and read
/// again when they change, so a renewed certificate (certbot, cert-manager, a rotation
/// script) is served without a restart.
///
/// Each new connection takes the context current when it opens; connections already open
/// keep the one they began with. A pair that cannot be used (unreadable, not PEM, a key that
/// is not the certificate's, a certificate already expired) is refused: at start that stops
/// the server, on a reload the old pair stays in service and the error is logged.
public final class TLSCertificateSource: Sendable {
    /// What is served now.
    public struct Current: Sendable {
        /// The context new connections are handed.
        public let context: NIOSSLContext
        /// The leaf certificate's subject, for logs.
        public let subject: String
        /// The leaf certificate's serial number, hex.
        public let serial: String
        /// When the leaf certificate stops being valid.
        public let notAfter: Date
        /// SHA-256 of both files as read, to tell a change from a touch.
        let fingerprint: [UInt8]
    }

    /// The certificate chain file (PEM; leaf first, then intermediates).
    public let certificatePath: String
    /// The private key file (PEM).
    public let keyPath: String
    private let state: Mutex<Current>

    /// Reads and checks the pair.
    /// - Throws: ``TLSCertificateError`` when the pair cannot be used.
    public init(certificatePath: String, keyPath: String, now: Date = Date()) throws {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        let files = try Self.readFiles(certificatePath: certificatePath, keyPath: keyPath)
        state = Mutex(try Self.load(files, certificatePath: certificatePath, keyPath: keyPath, now: now))
    }

    /// The pair served now.
    public var current: Current { state.withLock { $0 } }

    /// Reads the files again and, if they changed and can be used, serves them from now on.
    /// - Returns: The new pair, or `nil` when the files are unchanged.
    /// - Throws: ``TLSCertificateError``: the old pair stays in service.
    @discardableResult
    public func reloadIfChanged(now: Date = Date()) throws -> Current? {
        let files = try Self.readFiles(certificatePath: certificatePath, keyPath: keyPath)
        guard Self.fingerprint(files) != current.fingerprint else { return nil }
        let loaded = try Self.load(files, certificatePath: certificatePath, keyPath: keyPath, now: now)
        state.withLock { $0 = loaded }
        return loaded
    }

    /// Both files' bytes, read once per check.
    static func readFiles(certificatePath: String, keyPath: String) throws -> (certificate: Data, key: Data) {
        (try read(certificatePath, "certificate"), try read(keyPath, "private key"))
    }

    /// SHA-256 over both files: a change, not a touch.
    static func fingerprint(_ files: (certificate: Data, key: Data)) -> [UInt8] {
        var hash = SHA256()
        hash.update(data: files.certificate)
        hash.update(data: files.key)
        return Array(hash.finalize())
    }

    static func read(_ path: String, _ what: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw TLSCertificateError("cannot read the TLS \(what) \(path): \(error.localizedDescription)")
        }
    }

    static func load(_ files: (certificate: Data, key: Data), certificatePath: String, keyPath: String, now: Date) throws -> Current {
        let (certificateData, keyData) = files
        let leaf: Certificate
        let key: Certificate.PrivateKey
        do {
            let documents = try PEMDocument.parseMultiple(pemString: String(decoding: certificateData, as: UTF8.self))
            guard let first = documents.first(where: { $0.discriminator == "CERTIFICATE" }) else {
                throw TLSCertificateError("\(certificatePath) holds no PEM CERTIFICATE")
            }
            leaf = try Certificate(pemDocument: first)
        } catch let error as TLSCertificateError {
            throw error
        } catch {
            throw TLSCertificateError("\(certificatePath) is not a PEM certificate chain: \(error)")
        }
        do {
            key = try Certificate.PrivateKey(pemEncoded: String(decoding: keyData, as: UTF8.self))
        } catch {
            throw TLSCertificateError("\(keyPath) is not a PEM private key (PKCS#8, SEC1 or PKCS#1): \(error)")
        }
        guard key.publicKey == leaf.publicKey else {
            throw TLSCertificateError("the private key \(keyPath) is not the key of the certificate \(certificatePath)")
        }
        guard leaf.notValidAfter > now else {
            throw TLSCertificateError("the certificate \(certificatePath) expired at \(leaf.notValidAfter)")
        }
        do {
            let chain = try NIOSSLCertificate.fromPEMBytes(Array(certificateData)).map { NIOSSLCertificateSource.certificate($0) }
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(keyData), format: .pem)))
            configuration.minimumTLSVersion = .tlsv12
            configuration.applicationProtocols = ["http/1.1"]
            return Current(context: try NIOSSLContext(configuration: configuration), subject: leaf.subject.description,
                           serial: leaf.serialNumber.description, notAfter: leaf.notValidAfter, fingerprint: fingerprint(files))
        } catch {
            throw TLSCertificateError("cannot use \(certificatePath) and \(keyPath) for TLS: \(error)")
        }
    }
}

/// Why a certificate and key pair cannot be served.
public struct TLSCertificateError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
