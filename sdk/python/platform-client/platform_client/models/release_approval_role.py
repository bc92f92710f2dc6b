from enum import StrEnum


class ReleaseApprovalRole(StrEnum):
    REVIEWER = "reviewer"
    SECURITY_OWNER = "security-owner"

    def __str__(self) -> str:
        return str(self.value)
