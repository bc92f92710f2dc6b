from enum import StrEnum


class FlagReason(StrEnum):
    DEFAULT = "DEFAULT"
    DISABLED = "DISABLED"
    STALE = "STALE"
    STATIC = "STATIC"
    TARGETING_MATCH = "TARGETING_MATCH"

    def __str__(self) -> str:
        return str(self.value)
