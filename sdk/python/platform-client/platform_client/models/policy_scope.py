from enum import StrEnum


class PolicyScope(StrEnum):
    PLATFORM = "platform"
    PROJECT = "project"
    TENANT = "tenant"

    def __str__(self) -> str:
        return str(self.value)
