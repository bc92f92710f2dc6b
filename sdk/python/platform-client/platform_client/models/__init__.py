"""Contains all the data models used in inputs/outputs"""

from .api_key_info import APIKeyInfo
from .app_registration import AppRegistration
from .app_version import AppVersion
from .app_version_registry_versions import AppVersionRegistryVersions
from .artifact_status import ArtifactStatus
from .artifact_status_gates_item import ArtifactStatusGatesItem
from .artifact_status_provenance import ArtifactStatusProvenance
from .artifact_summary import ArtifactSummary
from .attestation import Attestation
from .attestation_kind import AttestationKind
from .attestation_source import AttestationSource
from .audit_checkpoint import AuditCheckpoint
from .audit_consistency_proof import AuditConsistencyProof
from .audit_export import AuditExport
from .audit_export_entries_item import AuditExportEntriesItem
from .audit_record import AuditRecord
from .audit_record_details import AuditRecordDetails
from .audit_record_outcome import AuditRecordOutcome
from .caller import Caller
from .connect_refresh_request import ConnectRefreshRequest
from .connect_request import ConnectRequest
from .connect_request_type import ConnectRequestType
from .connect_session import ConnectSession
from .connect_session_ssh import ConnectSessionSsh
from .connect_session_state import ConnectSessionState
from .connect_session_type import ConnectSessionType
from .error import Error
from .error_error import ErrorError
from .error_error_details import ErrorErrorDetails
from .health_report import HealthReport
from .health_report_checks import HealthReportChecks
from .health_report_status import HealthReportStatus
from .instance import Instance
from .instance_endpoints_item import InstanceEndpointsItem
from .instance_event_list_item import InstanceEventListItem
from .instance_event_list_item_phase import InstanceEventListItemPhase
from .instance_log_chunk import InstanceLogChunk
from .instance_mode import InstanceMode
from .instance_phase import InstancePhase
from .instance_usage import InstanceUsage
from .instance_usage_totals_item import InstanceUsageTotalsItem
from .issued_key import IssuedKey
from .key_request import KeyRequest
from .launch_request import LaunchRequest
from .launch_request_params import LaunchRequestParams
from .name_request import NameRequest
from .node_list_item import NodeListItem
from .node_list_item_devices_item import NodeListItemDevicesItem
from .node_list_item_devices_item_device import NodeListItemDevicesItemDevice
from .project import Project
from .promotion_request import PromotionRequest
from .promotion_request_to import PromotionRequestTo
from .registry import Registry
from .rotate_request import RotateRequest
from .service_account import ServiceAccount
from .service_account_request import ServiceAccountRequest
from .signing_key import SigningKey
from .signing_key_request import SigningKeyRequest
from .signing_key_request_purpose import SigningKeyRequestPurpose
from .signing_key_status import SigningKeyStatus
from .tenant import Tenant
from .version_info import VersionInfo
from .version_info_modules_item import VersionInfoModulesItem
from .version_info_modules_item_kind import VersionInfoModulesItemKind
from .version_info_schema import VersionInfoSchema

__all__ = (
    "APIKeyInfo",
    "AppRegistration",
    "AppVersion",
    "AppVersionRegistryVersions",
    "ArtifactStatus",
    "ArtifactStatusGatesItem",
    "ArtifactStatusProvenance",
    "ArtifactSummary",
    "Attestation",
    "AttestationKind",
    "AttestationSource",
    "AuditCheckpoint",
    "AuditConsistencyProof",
    "AuditExport",
    "AuditExportEntriesItem",
    "AuditRecord",
    "AuditRecordDetails",
    "AuditRecordOutcome",
    "Caller",
    "ConnectRefreshRequest",
    "ConnectRequest",
    "ConnectRequestType",
    "ConnectSession",
    "ConnectSessionSsh",
    "ConnectSessionState",
    "ConnectSessionType",
    "Error",
    "ErrorError",
    "ErrorErrorDetails",
    "HealthReport",
    "HealthReportChecks",
    "HealthReportStatus",
    "Instance",
    "InstanceEndpointsItem",
    "InstanceEventListItem",
    "InstanceEventListItemPhase",
    "InstanceLogChunk",
    "InstanceMode",
    "InstancePhase",
    "InstanceUsage",
    "InstanceUsageTotalsItem",
    "IssuedKey",
    "KeyRequest",
    "LaunchRequest",
    "LaunchRequestParams",
    "NameRequest",
    "NodeListItem",
    "NodeListItemDevicesItem",
    "NodeListItemDevicesItemDevice",
    "Project",
    "PromotionRequest",
    "PromotionRequestTo",
    "Registry",
    "RotateRequest",
    "ServiceAccount",
    "ServiceAccountRequest",
    "SigningKey",
    "SigningKeyRequest",
    "SigningKeyRequestPurpose",
    "SigningKeyStatus",
    "Tenant",
    "VersionInfo",
    "VersionInfoModulesItem",
    "VersionInfoModulesItemKind",
    "VersionInfoSchema",
)
