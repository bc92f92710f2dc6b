@preconcurrency import AsyncKit
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
        case let pool as ConnectionPoolError:
            return PlatformError(.storeUnavailable, "database at \(location.redacted) unavailable: connection pool \(pool)")
        case is NIOConnectionError, is IOError, is ChannelError:
            return PlatformError(.storeUnavailable, "database unreachable at \(location.redacted): \(error)")
        default:
            // Anything else was thrown by the caller's own closure: it is theirs, untouched.
            return error
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
            // Connection trouble, shutdown, too many connections, a database that does not
            // exist yet or refused credentials: all things an operator fixes while the
            // server keeps retrying, so they are "unavailable", not query bugs.
            if state.hasPrefix("08") || state.hasPrefix("57P") || state.hasPrefix("28") || state == "53300" || state == "3D000" {
                return PlatformError(.storeUnavailable, "postgres at \(location.redacted) unavailable: \(message)")
            }
            return PlatformError(.storeQueryFailed, "postgres error \(state): \(message)")
        }
        let underlying = error.underlying.map { ": \($0)" } ?? ""
        return PlatformError(
            .storeUnavailable, "database unreachable at \(location.redacted) (\(error.code))\(underlying)")
    }
}
