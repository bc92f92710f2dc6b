from enum import StrEnum


class ReleaseState(StrEnum):
    CANDIDATE = "candidate"
    PROMOTED = "promoted"

    def __str__(self) -> str:
        return str(self.value)
