"""Contains all the data models used in inputs/outputs"""

from .account_balance import AccountBalance
from .api_key_info import APIKeyInfo
from .app_registration import AppRegistration
from .app_version import AppVersion
from .app_version_registry_versions import AppVersionRegistryVersions
from .artifact_status import ArtifactStatus
from .artifact_summary import ArtifactSummary
from .attestation_report import AttestationReport
from .audit_checkpoint_info import AuditCheckpointInfo
from .audit_consistency_proof import AuditConsistencyProof
from .audit_export import AuditExport
from .audit_export_entry import AuditExportEntry
from .audit_outcome import AuditOutcome
from .audit_record import AuditRecord
from .audit_record_details import AuditRecordDetails
from .balance_report import BalanceReport
from .budget import Budget
from .budget_request import BudgetRequest
from .budget_scope import BudgetScope
from .budget_status import BudgetStatus
from .caller import Caller
from .catalog_deprecation import CatalogDeprecation
from .catalog_deprecation_request import CatalogDeprecationRequest
from .catalog_entry import CatalogEntry
from .catalog_entry_state import CatalogEntryState
from .catalog_publish_request import CatalogPublishRequest
from .component_condition import ComponentCondition
from .component_history_entry import ComponentHistoryEntry
from .component_kind import ComponentKind
from .component_status import ComponentStatus
from .connect_refresh_request import ConnectRefreshRequest
from .connect_request import ConnectRequest
from .connect_session_record import ConnectSessionRecord
from .connect_session_record_ssh_access import ConnectSessionRecordSSHAccess
from .connect_session_state import ConnectSessionState
from .connect_type import ConnectType
from .created_webhook_endpoint import CreatedWebhookEndpoint
from .credit_grant_request import CreditGrantRequest
from .dead_letter_intent import DeadLetterIntent
from .department_request import DepartmentRequest
from .environment_readiness import EnvironmentReadiness
from .error_body import ErrorBody
from .error_body_payload import ErrorBodyPayload
from .error_body_payload_details_type_0 import ErrorBodyPayloadDetailsType0
from .exec_request import ExecRequest
from .exec_response import ExecResponse
from .failure_reason import FailureReason
from .flag_evaluation import FlagEvaluation
from .flag_reason import FlagReason
from .gate_report import GateReport
from .gpu_device import GPUDevice
from .health_check_result import HealthCheckResult
from .health_report import HealthReport
from .health_report_checks import HealthReportChecks
from .health_status import HealthStatus
from .incident import Incident
from .incident_impact import IncidentImpact
from .incident_request import IncidentRequest
from .incident_state import IncidentState
from .incident_update import IncidentUpdate
from .incident_update_request import IncidentUpdateRequest
from .instance_event import InstanceEvent
from .instance_log_chunk import InstanceLogChunk
from .instance_mode import InstanceMode
from .instance_phase import InstancePhase
from .instance_record import InstanceRecord
from .instance_record_endpoint import InstanceRecordEndpoint
from .instance_usage import InstanceUsage
from .instance_usage_total import InstanceUsageTotal
from .issued_key import IssuedKey
from .journal_entry import JournalEntry
from .journal_entry_kind import JournalEntryKind
from .key_purpose import KeyPurpose
from .key_request import KeyRequest
from .launch_request import LaunchRequest
from .launch_request_params_type_0 import LaunchRequestParamsType0
from .ledger_account_kind import LedgerAccountKind
from .ledger_verification import LedgerVerification
from .ledger_verification_check import LedgerVerificationCheck
from .maintenance_effect import MaintenanceEffect
from .maintenance_request import MaintenanceRequest
from .maintenance_window import MaintenanceWindow
from .master_key_rotation import MasterKeyRotation
from .module_descriptor import ModuleDescriptor
from .module_kind import ModuleKind
from .money import Money
from .name_request import NameRequest
from .node_state import NodeState
from .node_usage import NodeUsage
from .node_usage_device import NodeUsageDevice
from .node_usage_gpu_group import NodeUsageGPUGroup
from .notification_feed_item import NotificationFeedItem
from .notification_preference_settings import NotificationPreferenceSettings
from .operator_status import OperatorStatus
from .plan_assignment import PlanAssignment
from .platform_evidence_key import PlatformEvidenceKey
from .platform_evidence_kind import PlatformEvidenceKind
from .platform_evidence_request import PlatformEvidenceRequest
from .policy_change import PolicyChange
from .policy_definition import PolicyDefinition
from .policy_explanation import PolicyExplanation
from .policy_level import PolicyLevel
from .policy_lifecycle import PolicyLifecycle
from .policy_placement import PolicyPlacement
from .policy_plan import PolicyPlan
from .policy_plan_values import PolicyPlanValues
from .policy_plans import PolicyPlans
from .policy_scope import PolicyScope
from .policy_set_request import PolicySetRequest
from .policy_snapshot_stamp import PolicySnapshotStamp
from .policy_source import PolicySource
from .policy_type import PolicyType
from .posting import Posting
from .project import Project
from .project_flags import ProjectFlags
from .project_policies import ProjectPolicies
from .project_policy_value import ProjectPolicyValue
from .project_summary import ProjectSummary
from .promotion_request import PromotionRequest
from .public_status import PublicStatus
from .release import Release
from .release_approval import ReleaseApproval
from .release_approval_request import ReleaseApprovalRequest
from .release_approval_role import ReleaseApprovalRole
from .release_bundle_field import ReleaseBundleField
from .release_decision import ReleaseDecision
from .release_evidence import ReleaseEvidence
from .release_evidence_facts import ReleaseEvidenceFacts
from .release_evidence_request import ReleaseEvidenceRequest
from .release_field import ReleaseField
from .release_gate import ReleaseGate
from .release_gate_result import ReleaseGateResult
from .release_readiness import ReleaseReadiness
from .release_request import ReleaseRequest
from .release_smoke_request import ReleaseSmokeRequest
from .release_state import ReleaseState
from .rotate_key_request import RotateKeyRequest
from .secret_record import SecretRecord
from .secret_write_request import SecretWriteRequest
from .service_account import ServiceAccount
from .service_account_request import ServiceAccountRequest
from .signed_envelope import SignedEnvelope
from .signed_envelope_signature import SignedEnvelopeSignature
from .signing_key_request import SigningKeyRequest
from .signing_key_status import SigningKeyStatus
from .source_provenance import SourceProvenance
from .statement import Statement
from .statement_line import StatementLine
from .statement_status import StatementStatus
from .tenant import Tenant
from .trust_state import TrustState
from .trusted_key import TrustedKey
from .usage_event_batch import UsageEventBatch
from .usage_event_input import UsageEventInput
from .usage_grouping import UsageGrouping
from .usage_ingest_outcome import UsageIngestOutcome
from .usage_ingest_report import UsageIngestReport
from .usage_ingest_report_result import UsageIngestReportResult
from .usage_summary import UsageSummary
from .usage_summary_row import UsageSummaryRow
from .version_info import VersionInfo
from .version_info_schema import VersionInfoSchema
from .volume_record import VolumeRecord
from .volume_request import VolumeRequest
from .webhook_endpoint import WebhookEndpoint
from .webhook_endpoint_request import WebhookEndpointRequest

__all__ = (
    "AccountBalance",
    "APIKeyInfo",
    "AppRegistration",
    "AppVersion",
    "AppVersionRegistryVersions",
    "ArtifactStatus",
    "ArtifactSummary",
    "AttestationReport",
    "AuditCheckpointInfo",
    "AuditConsistencyProof",
    "AuditExport",
    "AuditExportEntry",
    "AuditOutcome",
    "AuditRecord",
    "AuditRecordDetails",
    "BalanceReport",
    "Budget",
    "BudgetRequest",
    "BudgetScope",
    "BudgetStatus",
    "Caller",
    "CatalogDeprecation",
    "CatalogDeprecationRequest",
    "CatalogEntry",
    "CatalogEntryState",
    "CatalogPublishRequest",
    "ComponentCondition",
    "ComponentHistoryEntry",
    "ComponentKind",
    "ComponentStatus",
    "ConnectRefreshRequest",
    "ConnectRequest",
    "ConnectSessionRecord",
    "ConnectSessionRecordSSHAccess",
    "ConnectSessionState",
    "ConnectType",
    "CreatedWebhookEndpoint",
    "CreditGrantRequest",
    "DeadLetterIntent",
    "DepartmentRequest",
    "EnvironmentReadiness",
    "ErrorBody",
    "ErrorBodyPayload",
    "ErrorBodyPayloadDetailsType0",
    "ExecRequest",
    "ExecResponse",
    "FailureReason",
    "FlagEvaluation",
    "FlagReason",
    "GateReport",
    "GPUDevice",
    "HealthCheckResult",
    "HealthReport",
    "HealthReportChecks",
    "HealthStatus",
    "Incident",
    "IncidentImpact",
    "IncidentRequest",
    "IncidentState",
    "IncidentUpdate",
    "IncidentUpdateRequest",
    "InstanceEvent",
    "InstanceLogChunk",
    "InstanceMode",
    "InstancePhase",
    "InstanceRecord",
    "InstanceRecordEndpoint",
    "InstanceUsage",
    "InstanceUsageTotal",
    "IssuedKey",
    "JournalEntry",
    "JournalEntryKind",
    "KeyPurpose",
    "KeyRequest",
    "LaunchRequest",
    "LaunchRequestParamsType0",
    "LedgerAccountKind",
    "LedgerVerification",
    "LedgerVerificationCheck",
    "MaintenanceEffect",
    "MaintenanceRequest",
    "MaintenanceWindow",
    "MasterKeyRotation",
    "ModuleDescriptor",
    "ModuleKind",
    "Money",
    "NameRequest",
    "NodeState",
    "NodeUsage",
    "NodeUsageDevice",
    "NodeUsageGPUGroup",
    "NotificationFeedItem",
    "NotificationPreferenceSettings",
    "OperatorStatus",
    "PlanAssignment",
    "PlatformEvidenceKey",
    "PlatformEvidenceKind",
    "PlatformEvidenceRequest",
    "PolicyChange",
    "PolicyDefinition",
    "PolicyExplanation",
    "PolicyLevel",
    "PolicyLifecycle",
    "PolicyPlacement",
    "PolicyPlan",
    "PolicyPlans",
    "PolicyPlanValues",
    "PolicyScope",
    "PolicySetRequest",
    "PolicySnapshotStamp",
    "PolicySource",
    "PolicyType",
    "Posting",
    "Project",
    "ProjectFlags",
    "ProjectPolicies",
    "ProjectPolicyValue",
    "ProjectSummary",
    "PromotionRequest",
    "PublicStatus",
    "Release",
    "ReleaseApproval",
    "ReleaseApprovalRequest",
    "ReleaseApprovalRole",
    "ReleaseBundleField",
    "ReleaseDecision",
    "ReleaseEvidence",
    "ReleaseEvidenceFacts",
    "ReleaseEvidenceRequest",
    "ReleaseField",
    "ReleaseGate",
    "ReleaseGateResult",
    "ReleaseReadiness",
    "ReleaseRequest",
    "ReleaseSmokeRequest",
    "ReleaseState",
    "RotateKeyRequest",
    "SecretRecord",
    "SecretWriteRequest",
    "ServiceAccount",
    "ServiceAccountRequest",
    "SignedEnvelope",
    "SignedEnvelopeSignature",
    "SigningKeyRequest",
    "SigningKeyStatus",
    "SourceProvenance",
    "Statement",
    "StatementLine",
    "StatementStatus",
    "Tenant",
    "TrustedKey",
    "TrustState",
    "UsageEventBatch",
    "UsageEventInput",
    "UsageGrouping",
    "UsageIngestOutcome",
    "UsageIngestReport",
    "UsageIngestReportResult",
    "UsageSummary",
    "UsageSummaryRow",
    "VersionInfo",
    "VersionInfoSchema",
    "VolumeRecord",
    "VolumeRequest",
    "WebhookEndpoint",
    "WebhookEndpointRequest",
)
