import AppPlatform
import Foundation
import PlatformAPI
import PlatformContracts

/// `appctl instance exec ID -- CMD…`: a command inside a running instance, non-interactively
/// (the interactive `-it` session is the WebSocket in ``InstanceExecTerminal``). The router
/// checked `apps:instance:exec` and resolved the project; the service checks the phase and
/// the adapter, runs it and audits it.
extension V1Routes {
    func execInstance(_ input: OfItem<ProjectItems.Instance, ExecRequest>, _ context: PlatformRequestContext,
                      _ caller: Caller) async throws -> Reply<ExecResponse> {
        .value(try await instances.exec(in: try context.requireProject(), id: input.path.item, input.body, by: caller,
                                        requestID: context.requestID))
    }
}
