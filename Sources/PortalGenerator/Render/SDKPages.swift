/// The SDK pages: how to install each SDK and make a first call. Each first call is ONE
/// source file the page includes verbatim (`examples/python/first_call.py`,
/// `examples/swift/FirstCall/main.swift`), and the docs tests run exactly those files against
/// a live platformd, so a snippet that stops working fails CI instead of misleading a reader.
public enum SDKPages {
    /// The Python SDK's first call.
    public static let pythonFirstCall = "examples/python/first_call.py"
    /// The Swift SDK's first call (the `platform-sdk-first-call` executable of the package).
    public static let swiftFirstCall = "examples/swift/FirstCall/main.swift"

    static func snippet(_ model: PortalModel, _ file: String) -> String {
        model.sdkExamples.first { $0.file == file }?.text ?? ""
    }

    static func python(_ model: PortalModel) -> (Int) -> String {
        { position in
            """
            \(MDX.frontMatter(id: "python", title: "Python SDK", position: position,
                              description: "Install the generated Python client and make a first authenticated call."))

            # Python SDK

            \(PortalRenderer.banner) The package `platform_client` (`sdk/python/platform-client`) is generated from `manifests/api/openapi.json`, the document derived from the [typed contract](../reference/api), by the pinned `openapi-python-client` (`scripts/sdk/python.sh generate`). Each operation is a module named after its operation id, with `sync`, `sync_detailed`, `asyncio` and `asyncio_detailed` functions; each schema is a class in `platform_client.models`. `appctl contract check` fails when the committed SDK differs from what the document generates.

            ## Install

            Python 3.11 or later. pip builds the package in place, so install from a copy and keep the checkout clean:

            \(MDX.titledBlock("bash", title: "Install", """
                python3 -m venv ~/platform-sdk
                cp -R sdk/python/platform-client ~/platform-client
                ~/platform-sdk/bin/pip install ~/platform-client
                """))

            ## First call

            An `AuthenticatedClient` carries the key as a bearer token; `whoami` answers with the caller the key belongs to. The server comes from `PLATFORM_SERVER`, the key from the file `PLATFORM_KEY_FILE` names (the key you made in the [API contract](../onboarding/api-contract) step).

            \(MDX.titledBlock("python", title: pythonFirstCall, snippet(model, pythonFirstCall)))

            \(MDX.titledBlock("bash", title: "Run it", """
                PLATFORM_KEY_FILE=~/alice.key ~/platform-sdk/bin/python \(pythonFirstCall)
                """))

            The docs tests run this file against a live `platformd`. The whole onboarding path through the SDK (service account, key, register, launch, events, stop) is `examples/python/onboarding.py`, run by `scripts/sdk/python.sh smoke` in CI.
            """
        }
    }

    static func swift(_ model: PortalModel) -> (Int) -> String {
        { position in
            """
            \(MDX.frontMatter(id: "swift", title: "Swift SDK", position: position,
                              description: "Depend on the PlatformClient library and make a first typed call."))

            # Swift SDK

            \(PortalRenderer.banner) The `PlatformClient` library product sends the [typed endpoints](../reference/api) of `PlatformAPI`: `client.send(Endpoints.X, …)` takes the endpoint's path, query and body types and returns its response type. `appctl` and `platformd` are built on the same `Endpoints` table, so a client that compiles speaks the server's contract; there is no generated code to drift.

            ## Install

            Add the platform package and the `PlatformClient` product to your `Package.swift` (Swift 6, macOS 15 or Linux):

            \(MDX.titledBlock("swift", title: "Package.swift", """
                dependencies: [
                    .package(path: "../platform"),  // the platform checkout (package name "Platform")
                ],
                targets: [
                    .executableTarget(name: "MyTool", dependencies: [
                        .product(name: "PlatformClient", package: "Platform"),
                        .product(name: "PlatformAPI", package: "Platform"),  // Endpoints
                        .product(name: "PlatformContracts", package: "Platform"),  // the response types
                    ]),
                ]
                """))

            ## First call

            `try await client.send(Endpoints.whoami)` returns the typed caller. The server comes from `PLATFORM_SERVER`, the key from the file `PLATFORM_KEY_FILE` names.

            \(MDX.titledBlock("swift", title: swiftFirstCall, snippet(model, swiftFirstCall)))

            In the platform checkout this file is the `platform-sdk-first-call` executable:

            \(MDX.titledBlock("bash", title: "Run it", """
                swift build --product platform-sdk-first-call
                PLATFORM_KEY_FILE=~/alice.key .build/debug/platform-sdk-first-call
                """))

            The docs tests run this executable against a live `platformd`.
            """
        }
    }
}
