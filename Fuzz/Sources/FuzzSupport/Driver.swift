import CFuzzDriver

/// Runs libFuzzer with the process's arguments over `callback` (a target's
/// `LLVMFuzzerTestOneInput`). Each target's `<module>_main` calls this.
public func runLibFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, callback)
}

/// A pointer for the empty input, which libFuzzer may pass as null.
public var emptyInput: UnsafePointer<UInt8> { UnsafePointer(bitPattern: 1)! }
