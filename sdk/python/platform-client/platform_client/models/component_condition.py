from enum import StrEnum


class ComponentCondition(StrEnum):
    DEGRADED = "degraded"
    MAINTENANCE = "maintenance"
    OPERATIONAL = "operational"
    OUTAGE = "outage"

    def __str__(self) -> str:
        return str(self.value)
