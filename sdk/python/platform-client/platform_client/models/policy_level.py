from enum import StrEnum


class PolicyLevel(StrEnum):
    DEFAULT = "default"
    DEPARTMENT = "department"
    PLAN = "plan"
    PROJECT = "project"
    TENANT = "tenant"

    def __str__(self) -> str:
        return str(self.value)
