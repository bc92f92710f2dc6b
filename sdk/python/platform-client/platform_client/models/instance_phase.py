from enum import StrEnum


class InstancePhase(StrEnum):
    ACCEPTED = "accepted"
    FAILED = "failed"
    READY = "ready"
    RUNNING = "running"
    SCHEDULED = "scheduled"
    STARTING = "starting"
    STOPPED = "stopped"
    STOPPING = "stopping"
    SUCCEEDED = "succeeded"

    def __str__(self) -> str:
        return str(self.value)
