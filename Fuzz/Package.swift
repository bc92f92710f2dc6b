// swift-tools-version: 6.2
import PackageDescription

/// libFuzzer targets for the parsers that read untrusted input, kept out of the main package so
/// `swift build`/`swift test` there never need `-sanitize=fuzzer`. Build and run them with
/// `scripts/fuzz/run.sh`, which passes `-sanitize=fuzzer` and `-parse-as-library`. Each target
/// defines `LLVMFuzzerTestOneInput` and a `<module>_main` (the `main` SwiftPM links an
/// executable with) that hands over to libFuzzer's driver.
let package = Package(
    name: "PlatformFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Platform", path: ".."),
    ],
    targets: [
        .target(name: "CFuzzDriver", path: "Sources/CFuzzDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzDriver"], path: "Sources/FuzzSupport"),
        .executableTarget(name: "fuzz-manifest", dependencies: [
            "FuzzSupport",
            .product(name: "ManifestKit", package: "Platform"),
            .product(name: "PlatformContracts", package: "Platform"),
        ], path: "Sources/fuzz-manifest"),
        .executableTarget(name: "fuzz-http-range", dependencies: [
            "FuzzSupport", .product(name: "OCIKit", package: "Platform"), .product(name: "PlatformContracts", package: "Platform"),
        ], path: "Sources/fuzz-http-range"),
        .executableTarget(name: "fuzz-oci-manifest", dependencies: [
            "FuzzSupport", .product(name: "OCIKit", package: "Platform"), .product(name: "PlatformContracts", package: "Platform"),
        ], path: "Sources/fuzz-oci-manifest"),
        .executableTarget(name: "fuzz-dsse", dependencies: [
            "FuzzSupport", .product(name: "OCIKit", package: "Platform"), .product(name: "PlatformContracts", package: "Platform"),
        ], path: "Sources/fuzz-dsse"),
        .executableTarget(name: "fuzz-tar", dependencies: [
            "FuzzSupport", .product(name: "ArchiveImport", package: "Platform"),
        ], path: "Sources/fuzz-tar"),
        .executableTarget(name: "fuzz-mdx", dependencies: [
            "FuzzSupport", .product(name: "PortalPreview", package: "Platform"),
        ], path: "Sources/fuzz-mdx"),
    ]
)
