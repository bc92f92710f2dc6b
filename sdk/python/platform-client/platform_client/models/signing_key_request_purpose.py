from enum import StrEnum


class SigningKeyRequestPurpose(StrEnum):
    ARTIFACT_SIGNING = "artifact-signing"

    def __str__(self) -> str:
        return str(self.value)
