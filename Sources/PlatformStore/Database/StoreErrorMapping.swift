import NIOCore
import NIOPosix
import PlatformContracts
import PostgresNIO
import SQLiteNIO

/// Turns driver errors into ``PlatformError``s with store codes, so no module above the
/// store ever sees a driver type.
enum StoreErrorMapping {
    static func map(_ error: any Error, location: DatabaseLocation) -> any Error {
        switch error {
        case let platform as PlatformError:
            return platform
        case let sqlite as SQLiteError:
            return map(sqlite, location: location)
        case let postgres as PSQLError:
            return map(postgres, location: location)
        case is CancellationError:
            return error
        default:
            let text = String(describing: error)
            if error is IOError || error is NIOConnectionError || text.contains("connect") || text.contains("timeout")
                || text.contains("Timeout")
            {
                return PlatformError(
                    .storeUnavailable, "database unreachable at \(location.redacted): \(text)")
            }
            return PlatformError(.storeQueryFailed, "database error at \(location.redacted): \(text)")
        }
    }

    private static func map(_ error: SQLiteError, location: DatabaseLocation) -> PlatformError {
        switch error.reason {
        case .constraint, .constraintUniqueFailed, .constraintPrimaryKeyFailed:
            return PlatformError(.storeConflict, "duplicate key: \(error.message)")
        case .busy, .busyTimeout, .locked, .cantOpen, .cantOpenDirectory, .ioError, .readOnly, .full:
            return PlatformError(.storeUnavailable, "sqlite at \(location.redacted) unavailable: \(error.message)")
        default:
            return PlatformError(.storeQueryFailed, "sqlite error: \(error.message)")
        }
    }

    private static func map(_ error: PSQLError, location: DatabaseLocation) -> PlatformError {
        if let state = error.serverInfo?[.sqlState] {
            let message = error.serverInfo?[.message] ?? "\(error.code)"
            if state == "23505" {
                return PlatformError(.storeConflict, "duplicate key: \(message)")
            }
            if state.hasPrefix("08") || state.hasPrefix("57P") || state == "53300" {
                return PlatformError(.storeUnavailable, "postgres at \(location.redacted) unavailable: \(message)")
            }
            return PlatformError(.storeQueryFailed, "postgres error \(state): \(message)")
        }
        let underlying = error.underlying.map { ": \($0)" } ?? ""
        return PlatformError(
            .storeUnavailable, "database unreachable at \(location.redacted) (\(error.code))\(underlying)")
    }
}
