from enum import StrEnum


class BudgetScope(StrEnum):
    PROJECT = "project"
    TENANT = "tenant"

    def __str__(self) -> str:
        return str(self.value)
