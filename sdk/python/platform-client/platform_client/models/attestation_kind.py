from enum import StrEnum


class AttestationKind(StrEnum):
    COSIGN = "cosign"
    DSSE = "dsse"

    def __str__(self) -> str:
        return str(self.value)
