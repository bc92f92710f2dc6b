from enum import StrEnum


class ReleaseGate(StrEnum):
    APPROVAL_RESIDUAL_RISK = "approval-residual-risk"
    CAPACITY_RESERVE = "capacity-reserve"
    CONTRACT_SDK_DRIFT = "contract-sdk-drift"
    ENVIRONMENT_PROFILE = "environment-profile"
    SECURITY_EVIDENCE = "security-evidence"
    UAT_AUTOMATION = "uat-automation"

    def __str__(self) -> str:
        return str(self.value)
