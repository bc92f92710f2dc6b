import PlatformContracts
import SQLKit

/// Writes an audit record inside the caller's transaction, so a privileged mutation and
/// its record commit together or not at all. Implemented by `AuditService`; consumed by
/// every module that mutates (it speaks SQL, so it lives in the store layer rather than
/// in the contracts).
public protocol TransactionalAuditing: Sendable {
    /// Appends one record; throws ``ErrorCode/auditUnavailable`` when it cannot, which
    /// must abort the caller's transaction.
    @discardableResult
    func append(_ event: AuditEvent, tenant: String?, in db: any SQLDatabase) async throws -> AuditRecord
}
