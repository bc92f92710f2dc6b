#ifndef PLATFORM_FUZZ_DRIVER_H
#define PLATFORM_FUZZ_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (compiler-rt, linked by -sanitize=fuzzer). SwiftPM on Linux links an
/// executable with `main` aliased to `<module>_main`, so libFuzzer's own `main` is never
/// used: each target defines `<module>_main` and hands over to this.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
