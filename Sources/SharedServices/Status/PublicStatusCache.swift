import PlatformContracts
import Synchronization

/// The public status in memory, so an unauthenticated `/status` read costs a lock, not a
/// database round trip: a poller (or a crowd during an incident) must not load the store.
///
/// This replica's own writes (incidents, windows, a component whose condition changed)
/// invalidate it, so the next read sees them; writes by other replicas and windows starting
/// on their own are picked up by a background refresh once the value is older than `ttl`,
/// while the reads go on serving the previous value.
final class PublicStatusCache: Sendable {
    private struct State {
        var value: PublicStatus?
        var loadedAt: ContinuousClock.Instant?
        var refreshing = false
        /// Bumped by every invalidation, so a load started before one never stores its result.
        var generation = 0
    }

    private let state = Mutex(State())
    let ttl: Duration

    init(ttl: Duration = .seconds(2)) {
        self.ttl = ttl
    }

    /// The cached value, loading it when there is none and refreshing it in the background once stale.
    func value(load: @escaping @Sendable () async throws -> PublicStatus) async throws -> PublicStatus {
        let now = ContinuousClock.now
        enum Next { case serve(PublicStatus), serveAndRefresh(PublicStatus, Int), load(Int) }
        let next: Next = state.withLock { state in
            guard let value = state.value, let loadedAt = state.loadedAt else { return .load(state.generation) }
            if now - loadedAt < ttl || state.refreshing { return .serve(value) }
            state.refreshing = true
            return .serveAndRefresh(value, state.generation)
        }
        switch next {
        case .serve(let value):
            return value
        case .serveAndRefresh(let value, let generation):
            Task {
                let fresh = try? await load()
                self.store(fresh, generation: generation)
            }
            return value
        case .load(let generation):
            let fresh = try await load()
            store(fresh, generation: generation)
            return fresh
        }
    }

    /// Drops the value: the next read loads it again.
    func invalidate() {
        state.withLock { state in
            state.value = nil
            state.loadedAt = nil
            state.refreshing = false
            state.generation += 1
        }
    }

    private func store(_ value: PublicStatus?, generation: Int) {
        state.withLock { state in
            if value != nil, state.generation == generation {
                state.value = value
                state.loadedAt = ContinuousClock.now
            }
            state.refreshing = false
        }
    }
}
