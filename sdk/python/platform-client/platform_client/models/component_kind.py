from enum import StrEnum


class ComponentKind(StrEnum):
    ADAPTER = "adapter"
    DEPENDENCY = "dependency"
    MODULE = "module"

    def __str__(self) -> str:
        return str(self.value)
