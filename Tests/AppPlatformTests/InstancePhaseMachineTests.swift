@testable import AppPlatform
import PlatformContracts
import Testing

/// The phase machine's whole table: every (phase, event) pair is either the listed move or refused.
@Suite("Instance phase machine")
struct InstancePhaseMachineTests {
    static let events: [InstancePhaseEvent] = [
        .scheduled, .starting, .runtimeRunning, .probePassed, .stopRequested(.requested), .stopRequested(.idle),
        .stopRequested(.healthTimeout), .runtimeExited(code: 0), .runtimeExited(code: 3), .runtimeFailed(.oom),
        .runtimeFailed(.cancelled), .runtimeGone, .startFailed(.start), .workloadLost, .startAbandoned,
        .stopRequested(.maxRuntime), .stopRequested(.liveness), .restarting,
    ]

    /// The ends every phase before `stopping` shares (a service, no stop requested).
    static let ends: [InstancePhaseEvent: InstancePhase] = [
        .runtimeExited(code: 0): .stopped, .runtimeExited(code: 3): .failed(.exitNonZero), .runtimeFailed(.oom): .failed(.oom),
        .runtimeFailed(.cancelled): .failed(.cancelled), .runtimeGone: .failed(.lost), .startFailed(.start): .failed(.start),
        .workloadLost: .failed(.lost),
    ]

    static func expected(_ phase: InstancePhase) -> [InstancePhaseEvent: InstancePhase] {
        let beforeRunning = ends.merging([.stopRequested(.requested): .stopping, .startAbandoned: .stopped, .runtimeRunning: .running,
                                          .stopRequested(.maxRuntime): .stopping]) { $1 }
        // Running or ready: stops for a missed deadline of either kind, and the one backward move.
        let up: [InstancePhaseEvent: InstancePhase] = [.stopRequested(.requested): .stopping, .stopRequested(.idle): .stopping,
                                                       .stopRequested(.maxRuntime): .stopping, .stopRequested(.liveness): .stopping,
                                                       .restarting: .starting]
        switch phase {
        case .accepted: return beforeRunning.merging([.scheduled: .scheduled]) { $1 }
        case .scheduled: return beforeRunning.merging([.starting: .starting]) { $1 }
        case .starting: return beforeRunning.merging([.restarting: .starting]) { $1 }
        case .running: return ends.merging(up) { $1 }.merging([.probePassed: .ready, .stopRequested(.healthTimeout): .stopping]) { $1 }
        case .ready: return ends.merging(up) { $1 }
        case .stopping:
            return [.runtimeExited(code: 0): .stopped, .runtimeExited(code: 3): .stopped, .runtimeFailed(.oom): .failed(.oom),
                    .runtimeFailed(.cancelled): .stopped, .runtimeGone: .stopped, .startFailed(.start): .failed(.start),
                    .workloadLost: .failed(.lost), .startAbandoned: .stopped]
        case .stopped, .succeeded, .failed: return [:]
        }
    }

    @Test("every (phase, event) pair of a service is applied or refused as the table says", arguments: InstancePhase.allCases)
    func everyPairOfAServiceFollowsTheTable(phase: InstancePhase) {
        let table = Self.expected(phase)
        for event in Self.events {
            let next = InstancePhaseMachine.next(from: phase, on: event, mode: .service, stopCause: phase == .stopping ? .requested : nil)
            #expect(next == table[event], "\(phase) on \(event)")
        }
    }

    @Test("a job succeeds on exit 0 and has no readiness")
    func jobEndsSucceededAndNeverReady() {
        #expect(InstancePhaseMachine.next(from: .running, on: .runtimeExited(code: 0), mode: .job, stopCause: nil) == .succeeded)
        #expect(InstancePhaseMachine.next(from: .running, on: .probePassed, mode: .job, stopCause: nil) == nil)
        #expect(InstancePhaseMachine.next(from: .running, on: .stopRequested(.healthTimeout), mode: .job, stopCause: nil) == nil)
    }

    @Test("a stop for a missed readiness deadline ends failed(health-timeout), read from the stop cause")
    func healthTimeoutIsAFieldNotAMessage() {
        for event: InstancePhaseEvent in [.runtimeExited(code: 0), .runtimeExited(code: 137), .runtimeFailed(.cancelled)] {
            #expect(InstancePhaseMachine.next(from: .stopping, on: event, mode: .service, stopCause: .healthTimeout) == .failed(.healthTimeout))
        }
        #expect(InstancePhaseMachine.next(from: .stopping, on: .runtimeExited(code: 0), mode: .service, stopCause: .idle) == .stopped)
    }

    @Test("a stop for maxRuntimeMinutes ends failed(timeout), one for a failed liveness probe failed(liveness)")
    func stopCausesOfTheSupervisorEndTyped() {
        for event: InstancePhaseEvent in [.runtimeExited(code: 0), .runtimeExited(code: 143), .runtimeFailed(.cancelled)] {
            #expect(InstancePhaseMachine.next(from: .stopping, on: event, mode: .service, stopCause: .maxRuntime) == .failed(.timeout))
            #expect(InstancePhaseMachine.next(from: .stopping, on: event, mode: .job, stopCause: .maxRuntime) == .failed(.timeout))
            #expect(InstancePhaseMachine.next(from: .stopping, on: event, mode: .service, stopCause: .liveness) == .failed(.liveness))
        }
        #expect(InstancePhaseMachine.next(from: .running, on: .stopRequested(.maxRuntime), mode: .job, stopCause: nil) == .stopping)
        // A job has no liveness: only a service or interactive instance stops for it.
        #expect(InstancePhaseMachine.next(from: .running, on: .stopRequested(.liveness), mode: .job, stopCause: nil) == nil)
    }

    @Test("restarting is the one backward move: starting, running or ready back to starting, never from stopping or an end")
    func restartingIsTheOneBackwardMove() {
        for phase in InstancePhase.allCases {
            let next = InstancePhaseMachine.next(from: phase, on: .restarting, mode: .service, stopCause: phase == .stopping ? .requested : nil)
            #expect(next == ([.starting, .running, .ready].contains(phase) ? .starting : nil), "\(phase)")
        }
    }

    @Test("terminal is one definition: stopped, succeeded and every failure")
    func terminalPhases() {
        #expect(InstancePhase.allCases.filter(\.isTerminal).count == 2 + FailureReason.allCases.count)
        #expect(InstancePhase.allCases.filter(\.isConnectable) == [.running, .ready])
    }
}
