from enum import StrEnum


class PolicyLifecycle(StrEnum):
    ACTIVE = "active"
    DEPRECATED = "deprecated"
    RETIRED = "retired"

    def __str__(self) -> str:
        return str(self.value)
