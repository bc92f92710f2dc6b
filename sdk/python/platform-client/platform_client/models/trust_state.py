from enum import StrEnum


class TrustState(StrEnum):
    PROMOTEDPRODUCTION = "promoted:production"
    PROMOTEDSTAGING = "promoted:staging"
    QUARANTINED = "quarantined"
    REGISTERED = "registered"
    REVOKED = "revoked"
    VERIFIED = "verified"

    def __str__(self) -> str:
        return str(self.value)
