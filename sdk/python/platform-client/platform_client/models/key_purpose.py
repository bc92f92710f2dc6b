from enum import StrEnum


class KeyPurpose(StrEnum):
    ARTIFACT_SIGNING = "artifact-signing"

    def __str__(self) -> str:
        return str(self.value)
