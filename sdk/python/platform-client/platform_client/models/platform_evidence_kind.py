from enum import StrEnum


class PlatformEvidenceKind(StrEnum):
    CAPACITY_POSTURE = "capacity-posture"
    CONTRACT_DRIFT = "contract-drift"
    MIGRATION_STATUS = "migration-status"

    def __str__(self) -> str:
        return str(self.value)
