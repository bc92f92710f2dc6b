from enum import StrEnum


class ReleaseField(StrEnum):
    APPROVALS = "approvals"
    ARTIFACT_DIGESTS = "artifact_digests"
    BRANCH = "branch"
    CAPACITY_POSTURE = "capacity_posture"
    CONTRACT_DRIFT = "contract_drift"
    DEPLOY_SMOKE = "deploy_smoke"
    ENVIRONMENT_TARGET = "environment_target"
    MIGRATION_STATUS = "migration_status"
    PIPELINE_LINKS = "pipeline_links"
    RELEASE_ID = "release_id"
    RESIDUAL_RISK = "residual_risk"
    ROLLBACK_PLAN = "rollback_plan"
    SECURITY_SCAN = "security_scan"
    SOURCE_SHA = "source_sha"
    UAT_RESULT = "uat_result"

    def __str__(self) -> str:
        return str(self.value)
