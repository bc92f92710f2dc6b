/// The layer diagram of `docs/ARCHITECTURE.md` as data, and the rule that keeps the SwiftPM
/// graph faithful to it (``LayerDocuments`` keeps `Package.swift`, the README and that
/// document agreeing with it, target by target):
///
/// 1. every first-party target has a layer (a new target must be placed deliberately);
/// 2. arrows point strictly down the layers;
/// 3. product-domain targets (app platform, artifact registry, runtime kit, adapters,
///    HTTP) never depend on a shared-service implementation, only on the contracts;
/// 4. the contracts target depends on nothing.
struct BoundaryRule {
    enum Layer: Int, Comparable {
        case system, contracts, store, domain, adapter, appPlatform, http, composition, executable, testSupport, tooling, test

        static func < (lhs: Layer, rhs: Layer) -> Bool { lhs.rawValue < rhs.rawValue }

        /// The layer's number in `Package.swift` (`// MARK: Layer N`), the README's tree and
        /// `docs/ARCHITECTURE.md`; `nil` for what sits outside the numbered layers (C system
        /// libraries below everything, test support, tooling and tests above).
        var number: Int? {
            switch self {
            case .contracts: 0
            case .store: 1
            case .domain: 2
            case .adapter: 3
            case .appPlatform: 4
            case .http: 5
            case .composition: 6
            case .executable: 7
            case .system, .testSupport, .tooling, .test: nil
            }
        }
    }

    static let sharedServiceImplementations: Set<String> = [
        "IAMService", "AuditService", "MeteringService", "StatusService", "NotificationService",
        "PolicyService", "RegistryService", "EvidenceService", "SecretsService",
    ]

    static let productDomainTargets: Set<String> = ["AppPlatform", "ArtifactRegistry", "RuntimeKit", "PlatformHTTP"]

    static let namedLayers: [String: Layer] = [
        "PlatformContracts": .contracts,
        "PlatformStore": .store,
        // The /v1 contract as typed endpoints, and the OpenAPI/AsyncAPI documents derived from it.
        "PlatformAPI": .store,
        // The Swift SDK over PlatformAPI; appctl and third-party tools call the API through it.
        "PlatformClient": .domain,
        "TransparencyLog": .store,
        "ManifestKit": .store,
        "OCIKit": .store,
        "ArchiveImport": .store,
        "CArchive": .system,
        // libyaml's events, to measure a YAML document before Yams expands its aliases.
        "CYAMLLimits": .system,
        "ArtifactRegistry": .domain,
        "RuntimeKit": .domain,
        "AppPlatform": .appPlatform,
        "PlatformHTTP": .http,
        "PlatformServer": .composition,
        "AppCtlKit": .composition,
        // A renderer over the contracts (like ManifestKit); appctl's `portal generate` drives it.
        "PortalGenerator": .store,
        // The portal's pages to static HTML (cmark-gfm); platformd serves it, appctl writes it.
        "PortalPreview": .store,
        "CCmarkGFM": .system,
        "platformd": .executable,
        "appctl": .executable,
        "PlatformTestKit": .testSupport,
        "PlatformBenchmarks": .tooling,
        // The Swift SDK's first call, shown on the portal's Swift SDK page and run by the docs tests.
        "platform-sdk-first-call": .tooling,
        // examples/swift: the Swift SDK smoke, a client of PlatformClient like any third-party tool.
        "swift-sdk-onboarding": .tooling,
    ].merging(sharedServiceImplementations.map { ($0, .domain) }) { $1 }

    /// Adapters live under `runtime-adapters/`; tests are tests.
    static func layer(of target: PackageGraph.Target) -> Layer? {
        if target.type == "test" { return .test }
        if target.path?.hasPrefix("runtime-adapters/") == true { return .adapter }
        return namedLayers[target.name]
    }

    static func isProductDomain(_ target: PackageGraph.Target) -> Bool {
        productDomainTargets.contains(target.name) || target.path?.hasPrefix("runtime-adapters/") == true
    }

    /// Every broken rule, as sentences naming the edge.
    static func violations(in graph: PackageGraph) -> [String] {
        var problems: [String] = []
        for target in graph.targets.values.sorted(by: { $0.name < $1.name }) {
            guard let layer = layer(of: target) else {
                problems.append("\(target.name) has no layer: place it in BoundaryRule before adding it")
                continue
            }
            if layer == .contracts, !(target.dependencies.isEmpty && target.products.isEmpty) {
                problems.append("PlatformContracts must depend on nothing, but depends on \((target.dependencies + target.products).joined(separator: ", "))")
            }
            guard layer != .test else { continue }
            for name in target.dependencies {
                guard let dependency = graph.targets[name], let dependencyLayer = self.layer(of: dependency) else { continue }
                if isProductDomain(target), sharedServiceImplementations.contains(name) {
                    problems.append("\(target.name) → \(name): product code must use the shared service's contract in PlatformContracts, not its implementation")
                }
                if dependencyLayer >= layer {
                    problems.append("\(target.name) (\(layer)) → \(name) (\(dependencyLayer)): arrows must point down the layers")
                }
            }
        }
        return problems
    }
}
