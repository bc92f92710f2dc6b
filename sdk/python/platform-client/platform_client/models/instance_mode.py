from enum import StrEnum


class InstanceMode(StrEnum):
    INTERACTIVE = "interactive"
    JOB = "job"
    SERVICE = "service"

    def __str__(self) -> str:
        return str(self.value)
