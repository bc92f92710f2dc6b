import Foundation
import PlatformAPI
import PlatformContracts

/// `appctl instance exec`: a command inside a running instance. SCAFFOLD: the exec owner completes it.
extension V1Routes {
    func execInstance(_ input: OfItem<ProjectItems.Instance, ExecRequest>, _ context: PlatformRequestContext,
                      _ caller: Caller) async throws -> Reply<ExecResponse> {
        throw PlatformError(.internalError, "execInstance is not built yet")
    }
}
