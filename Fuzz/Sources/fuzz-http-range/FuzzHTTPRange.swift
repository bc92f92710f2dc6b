import FuzzSupport
import OCIKit
import PlatformContracts

/// The HTTP header parsers a registry client reaches: `Range` of a blob `GET` (against a size
/// the input chooses, negative and huge included), an upload `PATCH`'s `Content-Range`, and the
/// token endpoint's `scope`.
///
/// Properties: a parsed range lies within the representation (`0 ≤ first ≤ last < size`), its
/// length is positive and its `Content-Range` spells it; a chunk range has `first ≤ last` and a
/// positive length; refusals carry their documented codes; a parsed scope prints back to itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = bytes(data, size)
    guard input.count >= 8 else { return 0 }
    var representation: Int64 = 0
    for byte in input.prefix(8) { representation = representation << 8 | Int64(byte) }
    let header = String(decoding: input.dropFirst(8), as: UTF8.self)

    // Sizes that matter most: the input's own, small ones, and the extremes.
    for size in [representation, representation & 0xFFFF, Int64.max, 0, 1] {
        do {
            let range = try ByteRange.parse(header, size: size)
            require(0 <= range.first && range.first <= range.last && range.last < size, "range \(range) outside \(size) bytes")
            require(range.length >= 1 && range.length <= size, "length \(range.length) of \(range)")
            require(range.contentRange(size: size) == "bytes \(range.first)-\(range.last)/\(size)", "Content-Range of \(range)")
        } catch {
            require(error.code == .blobRangeInvalid, "ByteRange threw \(error.code)")
        }
    }
    do {
        let chunk = try UploadRange.parse(header)
        require(0 <= chunk.first && chunk.first <= chunk.last && chunk.last < Int64.max, "chunk \(chunk)")
        require(chunk.length >= 1, "chunk length \(chunk.length)")
    } catch {
        require(error.code == .artifactRangeInvalid, "UploadRange threw \(error.code)")
    }
    if let scope = try? RegistryScope.parse(header) {
        require((try? RegistryScope.parse(scope.description)) == scope, "scope \(scope) does not print back to itself")
    }
    return 0
}

/// The executable's entry (SwiftPM links `main` to `<module>_main`): libFuzzer's driver.
@_cdecl("fuzz_http_range_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzz(data ?? emptyInput, size) }
}
