import Foundation
import FuzzSupport
import OCIKit
import PlatformContracts

/// OCI image manifests and indexes as a `PUT /v2/<name>/manifests/<ref>` reads them. The input's
/// first line, when it starts with `Content-Type:`, is the declared media type; the rest is the body.
///
/// Properties: a manifest that parses has one of the supported media types, schemaVersion 2
/// and what its kind needs (an index its manifests, an image its config); it survives an
/// encode/parse round trip with the same references; refusals are `artifacts.manifest_invalid`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Data(bytes(data, size))
    var declared: String?
    var body = input
    let prefix = Data("Content-Type:".utf8)
    if input.starts(with: prefix) {
        let end = input.firstIndex(of: UInt8(ascii: "\n")) ?? input.endIndex
        declared = String(decoding: input[input.startIndex + prefix.count..<end], as: UTF8.self)
        body = end < input.endIndex ? Data(input[(end + 1)...]) : Data()
    }
    do {
        let (document, mediaType) = try ManifestDocument.parse(body, declared: declared)
        require(MediaType.manifests.contains(mediaType), "unsupported media type \(mediaType) accepted")
        require(document.schemaVersion == 2, "schemaVersion \(String(describing: document.schemaVersion)) accepted")
        if MediaType.indexes.contains(mediaType) {
            require(document.manifests != nil, "an index without manifests accepted")
        } else {
            require(document.config != nil, "an image manifest without config accepted")
        }
        let encoded = try JSONEncoder().encode(document)
        let (again, againType) = try ManifestDocument.parse(encoded, declared: declared)
        require(again.references == document.references, "references change in a round trip")
        require(againType == mediaType, "media type changes in a round trip")
    } catch let error as PlatformError {
        require(error.code == .artifactManifestInvalid, "parse threw \(error.code)")
    } catch {
        require(false, "a parsed manifest does not encode: \(error)")
    }
    return 0
}

/// The executable's entry (SwiftPM links `main` to `<module>_main`): libFuzzer's driver.
@_cdecl("fuzz_oci_manifest_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzz(data ?? emptyInput, size) }
}
