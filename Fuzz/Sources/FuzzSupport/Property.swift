/// Checks a property of the code under fuzzing. A broken property traps, which libFuzzer
/// records as a crash with the input that broke it (`fatalError` prints the message first).
///
/// ```swift
/// require(range.first <= range.last, "range \(range) is reversed")
/// ```
@inline(never)
public func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                    file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fatalError("property broken: \(message())", file: file, line: line) }
}

/// The fuzzer's bytes as a buffer, which every target starts from.
public func bytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: data, count: size)
}
