// swift-tools-version: 6.2
import PackageDescription

/// Settings every first-party target shares: Swift 6 strict concurrency (the language mode),
/// upcoming features that Hummingbird itself enables, and warnings as errors.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "Platform",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "platformd", targets: ["platformd"]),
        .executable(name: "appctl", targets: ["appctl"]),
        .library(name: "PlatformContracts", targets: ["PlatformContracts"]),
        // The typed /v1 contract and the Swift client built on it (the Swift SDK): third-party
        // Swift tools depend on PlatformClient; appctl makes every API call through it.
        .library(name: "PlatformAPI", targets: ["PlatformAPI"]),
        .library(name: "PlatformClient", targets: ["PlatformClient"]),
        // The parsers the libFuzzer targets in Fuzz/ (a package of its own) drive.
        .library(name: "ManifestKit", targets: ["ManifestKit"]),
        .library(name: "OCIKit", targets: ["OCIKit"]),
        .library(name: "ArchiveImport", targets: ["ArchiveImport"]),
        .library(name: "PortalPreview", targets: ["PortalPreview"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
    ],
    targets: [
        // MARK: Layer 0 — contracts
        .target(
            name: "PlatformContracts",
            swiftSettings: strictSettings
        ),

        // MARK: Layer 1 — storage
        .target(
            name: "PlatformStore",
            dependencies: [
                "PlatformContracts",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),

        .target(
            name: "TransparencyLog",
            dependencies: ["PlatformContracts", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),

        .target(
            name: "OCIKit",
            dependencies: ["PlatformContracts", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),

        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"]), .brew(["libarchive"])]),
        .target(name: "ArchiveImport", dependencies: ["CArchive"], swiftSettings: strictSettings),

        // Measures YAML at libyaml's event level (aliases counted, never expanded) before Yams builds it.
        .target(name: "CYAMLLimits", linkerSettings: [.linkedLibrary("yaml")]),
        .target(
            name: "ManifestKit",
            dependencies: ["PlatformContracts", "CYAMLLimits", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings
        ),

        // Renderers over the contracts: the portal's sources to pages (appctl portal generate) and
        // the pages to HTML with cmark-gfm (platformd /portal/, appctl portal preview).
        .target(name: "PortalGenerator", dependencies: ["PlatformContracts", "CYAMLLimits", .product(name: "Yams", package: "Yams")],
                swiftSettings: strictSettings),
        .systemLibrary(name: "CCmarkGFM", pkgConfig: "libcmark-gfm",
                       providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"]), .brew(["cmark-gfm"])]),
        .target(name: "PortalPreview", dependencies: ["PlatformContracts", "CCmarkGFM"], swiftSettings: strictSettings),

        // The /v1 API defined once: typed endpoints (path, query, body, response), the OpenAPI and
        // AsyncAPI documents derived from them and their Codable types.
        .target(name: "PlatformAPI", dependencies: [
            "PlatformContracts", .product(name: "HTTPTypes", package: "swift-http-types"),
        ], swiftSettings: strictSettings),

        // MARK: Layer 2 — shared services (implementations; product code sees only their contracts)
        // The Swift SDK: sends an Endpoint's typed request, decodes its typed response.
        .target(name: "PlatformClient", dependencies: [
            "PlatformContracts", "PlatformAPI",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ], swiftSettings: strictSettings),
        .target(name: "IAMService", dependencies: [
            "PlatformContracts", "PlatformStore",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "SQLKit", package: "sql-kit"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], path: "Sources/SharedServices/IAM", swiftSettings: strictSettings),
        .target(name: "AuditService", dependencies: [
            "PlatformContracts", "PlatformStore", "TransparencyLog",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "SQLKit", package: "sql-kit"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], path: "Sources/SharedServices/Audit", swiftSettings: strictSettings),
        .target(name: "MeteringService", dependencies: [
            "PlatformContracts", "PlatformStore", .product(name: "SQLKit", package: "sql-kit"),
            .product(name: "Logging", package: "swift-log"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Crypto", package: "swift-crypto"),
        ],
                path: "Sources/SharedServices/Metering", swiftSettings: strictSettings),
        .target(name: "StatusService", dependencies: [
            "PlatformContracts", "PlatformStore", .product(name: "SQLKit", package: "sql-kit"),
            .product(name: "Logging", package: "swift-log"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ],
                path: "Sources/SharedServices/Status", swiftSettings: strictSettings),
        .target(name: "NotificationService", dependencies: [
            "PlatformContracts", "PlatformStore", .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "SQLKit", package: "sql-kit"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ],
                path: "Sources/SharedServices/Notification", swiftSettings: strictSettings),
        .target(name: "PolicyService", dependencies: [
            "PlatformContracts", "PlatformStore", .product(name: "SQLKit", package: "sql-kit"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ],
                path: "Sources/SharedServices/Policy", swiftSettings: strictSettings),
        .target(name: "RegistryService", dependencies: [
            "PlatformContracts", "PlatformStore", "ManifestKit", .product(name: "Yams", package: "Yams"),
        ], path: "Sources/SharedServices/Registry", swiftSettings: strictSettings),
        .target(name: "EvidenceService", dependencies: [
            "PlatformContracts", "PlatformStore", "OCIKit", "ManifestKit", .product(name: "SQLKit", package: "sql-kit"),
            .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
        ],
                path: "Sources/SharedServices/Evidence", swiftSettings: strictSettings),
        .target(name: "SecretsService", dependencies: [
            "PlatformContracts", "PlatformStore", "OCIKit", .product(name: "SQLKit", package: "sql-kit"),
            .product(name: "Crypto", package: "swift-crypto"), .product(name: "Yams", package: "Yams"),
            .product(name: "Logging", package: "swift-log"),
        ],
                path: "Sources/SharedServices/Secrets", swiftSettings: strictSettings),

        // MARK: Layer 2 — product domain
        .target(name: "ArtifactRegistry", dependencies: [
            "PlatformContracts", "PlatformStore", "OCIKit",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "SQLKit", package: "sql-kit"),
        ],
                swiftSettings: strictSettings),
        .target(name: "RuntimeKit", dependencies: ["PlatformContracts", "OCIKit", "ArchiveImport"],
                swiftSettings: strictSettings),

        // MARK: Layer 3 — runtime adapters (one target each, under runtime-adapters/)
        .target(name: "LocalRuntimeAdapter", dependencies: ["PlatformContracts", "RuntimeKit"],
                path: "runtime-adapters/local", exclude: ["README.md"], swiftSettings: strictSettings),
        .target(name: "SlurmRuntimeAdapter", dependencies: ["PlatformContracts", "RuntimeKit"],
                path: "runtime-adapters/slurm", exclude: ["README.md", "job.sbatch.tmpl"], swiftSettings: strictSettings),
        // The in-memory twin for the fast test tier (workloads follow an injected clock); tests register it, platformd never does.
        .target(name: "InMemoryRuntimeAdapter", dependencies: ["PlatformContracts", "RuntimeKit"],
                path: "runtime-adapters/memory", exclude: ["README.md"], swiftSettings: strictSettings),

        // MARK: Layer 4 — app platform orchestration
        .target(name: "AppPlatform", dependencies: [
            "PlatformContracts", "ArtifactRegistry", "RuntimeKit", "ManifestKit", "PlatformStore",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "SQLKit", package: "sql-kit"),
        ], swiftSettings: strictSettings),

        // MARK: Layer 5 — HTTP edge
        .target(
            name: "PlatformHTTP",
            dependencies: [
                "PlatformContracts", "PlatformAPI", "PlatformClient",
                "AppPlatform", "ManifestKit", "ArtifactRegistry", "OCIKit", "RuntimeKit",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strictSettings
        ),

        // MARK: Layer 6 — composition root, CLI kit
        .target(
            name: "PlatformServer",
            dependencies: [
                "PlatformContracts", "PlatformStore", "PlatformHTTP", "AppPlatform",
                "ArtifactRegistry", "RuntimeKit", "LocalRuntimeAdapter", "ManifestKit",
                "IAMService", "AuditService", "MeteringService", "StatusService", "SlurmRuntimeAdapter",
                "NotificationService", "PolicyService", "RegistryService",
                "EvidenceService", "SecretsService", "TransparencyLog", "PortalPreview",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "AppCtlKit",
            dependencies: [
                "PlatformContracts", "TransparencyLog", "ManifestKit", "RegistryService", "OCIKit", "ArchiveImport", "PortalGenerator",
                "PortalPreview", "LocalRuntimeAdapter", "SlurmRuntimeAdapter", "PlatformAPI", "PlatformClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),

        // MARK: Layer 7 — thin executables
        .executableTarget(name: "platformd", dependencies: [
            "PlatformServer", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ],
                          swiftSettings: strictSettings),
        .executableTarget(name: "appctl", dependencies: ["AppCtlKit"],
                          swiftSettings: strictSettings),

        // MARK: Benchmarks (figures, never timed assertions)
        .executableTarget(
            name: "PlatformBenchmarks",
            dependencies: [
                "PlatformContracts", "PlatformStore", "IAMService", "AuditService", "RegistryService",
                "TransparencyLog", "PlatformTestKit", "ManifestKit", "PortalGenerator", "PortalPreview", "AppPlatform", "MeteringService",
                "PlatformServer",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/PlatformBenchmarks",
            swiftSettings: strictSettings
        ),

        // MARK: Examples (run as tests: scripts/sdk/swift.sh smoke)
        // The Swift SDK smoke: the onboarding path through PlatformClient alone, as a third-party
        // Swift tool would write it.
        .executableTarget(name: "swift-sdk-onboarding", dependencies: ["PlatformClient", "PlatformAPI", "PlatformContracts"],
                          path: "examples/swift/Onboarding", swiftSettings: strictSettings),
        // The Swift SDK page's first call (portal/docs/sdk/swift.mdx shows it; the docs tests run it).
        .executableTarget(name: "platform-sdk-first-call", dependencies: ["PlatformAPI", "PlatformClient", "PlatformContracts"],
                          path: "examples/swift/FirstCall", swiftSettings: strictSettings),

        // MARK: Tests
        .target(
            name: "PlatformTestKit",
            dependencies: [
                "PlatformContracts", "PlatformStore", "OCIKit", "RuntimeKit",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            path: "Tests/PlatformTestKit",
            swiftSettings: strictSettings
        ),
        .testTarget(name: "PlatformClientTests", dependencies: [
            "PlatformClient", "PlatformAPI", "PlatformContracts",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ], swiftSettings: strictSettings),
        .testTarget(name: "PlatformAPITests", dependencies: ["PlatformAPI", "PlatformContracts", "TransparencyLog"],
                    swiftSettings: strictSettings),
        .testTarget(name: "PlatformContractsTests", dependencies: ["PlatformContracts"],
                    swiftSettings: strictSettings),
        .testTarget(
            name: "PlatformStoreTests",
            dependencies: [
                "PlatformContracts", "PlatformStore", "PlatformTestKit", "PolicyService", "RegistryService",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PlatformServerTests",
            dependencies: [
                "PlatformContracts", "PlatformAPI", "PlatformServer", "PlatformHTTP", "PlatformStore", "AppPlatform",
                "StatusService", "PlatformTestKit", "TransparencyLog", "AuditService", "ManifestKit", "RegistryService",
                "OCIKit", "ArtifactRegistry", "RuntimeKit", "LocalRuntimeAdapter", "MeteringService", "IAMService", "SecretsService",
                "InMemoryRuntimeAdapter", "NotificationService", "EvidenceService", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AppCtlKitTests",
            dependencies: [
                "AppCtlKit", "PlatformContracts", "PlatformServer", "PlatformStore", "PlatformTestKit", "TransparencyLog",
                "ManifestKit", "OCIKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            exclude: ["Golden"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "ArchitectureTests", swiftSettings: strictSettings),
        .testTarget(name: "PortalGeneratorTests", dependencies: ["PortalGenerator", "PortalPreview", "AppCtlKit", "PlatformContracts", "PlatformTestKit", "PlatformAPI",
                                                                    .product(name: "ArgumentParser", package: "swift-argument-parser")],
                    swiftSettings: strictSettings),
        .testTarget(name: "ArchiveImportTests", dependencies: ["ArchiveImport"], swiftSettings: strictSettings),
        // The fast tier: the instance core in process (SQLite, the in-memory adapter, a manual clock).
        .testTarget(name: "AppPlatformTests", dependencies: [
            "AppPlatform", "PlatformContracts", "PlatformStore", "RuntimeKit", "InMemoryRuntimeAdapter",
            "ArtifactRegistry", "ManifestKit", "RegistryService", "OCIKit", "PlatformTestKit",
            .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], swiftSettings: strictSettings),
        .testTarget(name: "RuntimeKitTests", dependencies: [
            "RuntimeKit", "PlatformContracts", "PlatformTestKit", "PlatformStore", "LocalRuntimeAdapter", "SlurmRuntimeAdapter",
            "InMemoryRuntimeAdapter",
        ],
                    swiftSettings: strictSettings),
        .testTarget(
            name: "ManifestKitTests",
            dependencies: ["ManifestKit", "PlatformContracts", "RegistryService"],
            exclude: ["Corpus"],
            swiftSettings: strictSettings
        ),
        // Releases in process (SQLite and PostgreSQL): bundles, separation of duties, the six gates.
        .testTarget(name: "ReleaseServiceTests", dependencies: [
            "EvidenceService", "PlatformContracts", "PlatformStore", "PlatformTestKit", "OCIKit", "RegistryService",
            .product(name: "Logging", package: "swift-log"), .product(name: "SQLKit", package: "sql-kit"),
        ], swiftSettings: strictSettings),
        // Evidence types: the registry's schemas, predicate validation, SARIF / CycloneDX severity, the operating record.
        .testTarget(name: "EvidenceServiceTests", dependencies: [
            "EvidenceService", "RegistryService", "ManifestKit", "OCIKit", "PlatformContracts", "PlatformStore", "PlatformTestKit",
            .product(name: "Logging", package: "swift-log"), .product(name: "SQLKit", package: "sql-kit"),
        ], swiftSettings: strictSettings),
        .testTarget(
            name: "TransparencyLogTests",
            dependencies: ["TransparencyLog", "PlatformContracts", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
    ]
)
