from enum import StrEnum


class ModuleKind(StrEnum):
    PRODUCT = "product"
    RUNTIME_ADAPTER = "runtime-adapter"
    SHARED_SERVICE = "shared-service"

    def __str__(self) -> str:
        return str(self.value)
