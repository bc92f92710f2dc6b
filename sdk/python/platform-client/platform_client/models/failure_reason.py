from enum import StrEnum


class FailureReason(StrEnum):
    ARTIFACT_UNTRUSTED = "artifact-untrusted"
    CANCELLED = "cancelled"
    CRASH_LOOP = "crash-loop"
    EXIT_NONZERO = "exit-nonzero"
    HEALTH_TIMEOUT = "health-timeout"
    LIVENESS = "liveness"
    LOST = "lost"
    NODE_LOST = "node-lost"
    OOM = "oom"
    PLACEMENT = "placement"
    PREEMPTED = "preempted"
    QUOTA = "quota"
    START = "start"
    TIMEOUT = "timeout"
    VALIDATION = "validation"

    def __str__(self) -> str:
        return str(self.value)
