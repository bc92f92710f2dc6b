from enum import StrEnum


class CatalogEntryState(StrEnum):
    CURRENT = "current"
    DEPRECATED = "deprecated"

    def __str__(self) -> str:
        return str(self.value)
