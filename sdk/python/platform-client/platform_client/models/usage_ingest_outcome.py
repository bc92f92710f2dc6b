from enum import StrEnum


class UsageIngestOutcome(StrEnum):
    ACCEPTED = "accepted"
    ADJUSTMENT = "adjustment"
    DUPLICATE = "duplicate"

    def __str__(self) -> str:
        return str(self.value)
