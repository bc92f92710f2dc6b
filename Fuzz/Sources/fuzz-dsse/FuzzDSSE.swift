import Foundation
import FuzzSupport
import OCIKit
import PlatformContracts

/// DSSE envelopes and the in-toto statements inside them, as signature and attestation
/// uploads are read: the input as an envelope, its payload as a statement, and the input
/// itself as a statement.
///
/// Properties: a parsed envelope has a signature, re-encodes and parses back equal, and its
/// PAE is built from its payload type and bytes; a parsed statement has a subject and survives
/// its own `encoded()` form; refusals are `artifacts.signature_malformed`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Data(bytes(data, size))
    do {
        let envelope = try DSSEEnvelope.parse(input)
        require(!envelope.signatures.isEmpty, "an envelope without signatures accepted")
        let again = try DSSEEnvelope.parse(try JSONEncoder().encode(envelope))
        require(again == envelope, "an envelope changes in a round trip")
        if let payload = try? envelope.payloadBytes() {
            let pae = DSSEEnvelope.pae(payloadType: envelope.payloadType, payload: payload)
            require(pae.count >= payload.count + envelope.payloadType.utf8.count, "PAE shorter than its parts")
            require(pae.suffix(payload.count) == payload, "PAE does not end with the payload")
            statement(payload)
        }
    } catch let error as PlatformError {
        require(error.code == .artifactSignatureMalformed, "DSSE parse threw \(error.code)")
    } catch {
        require(false, "a parsed envelope does not encode: \(error)")
    }
    statement(input)
    return 0
}

/// A statement's properties, for any bytes.
func statement(_ bytes: Data) {
    do {
        let statement = try InTotoStatement.parse(bytes)
        guard let encoded = try? statement.encoded() else { return }
        guard let again = try? InTotoStatement.parse(encoded) else {
            return require(false, "an accepted statement does not parse from its own encoding: \(String(decoding: encoded, as: UTF8.self))")
        }
        require(again.subjects == statement.subjects, "subjects change in a round trip")
        require(again.predicateType == statement.predicateType, "predicateType changes in a round trip")
    } catch {
        require(error.code == .artifactSignatureMalformed, "in-toto parse threw \(error.code)")
    }
}

/// The executable's entry (SwiftPM links `main` to `<module>_main`): libFuzzer's driver.
@_cdecl("fuzz_dsse_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzz(data ?? emptyInput, size) }
}
