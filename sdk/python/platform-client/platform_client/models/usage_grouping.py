from enum import StrEnum


class UsageGrouping(StrEnum):
    APP = "app"
    DAY = "day"
    INSTANCE = "instance"
    UNIT = "unit"

    def __str__(self) -> str:
        return str(self.value)
