from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.release_state import ReleaseState
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.release_approval import ReleaseApproval
    from ..models.release_bundle_field import ReleaseBundleField
    from ..models.release_decision import ReleaseDecision
    from ..models.release_evidence import ReleaseEvidence


T = TypeVar("T", bound="Release")


@_attrs_define
class Release:
    """
    Attributes:
        approvals (list[ReleaseApproval]):
        artifacts (list[str]):
        branch (str):
        bundle (list[ReleaseBundleField]):
        correlation_ids (list[str]):
        created_at (str):
        created_by (str):
        environment (str):
        evidence (list[ReleaseEvidence]):
        id (str):
        project_id (str):
        source_sha (str):
        state (ReleaseState):
        tenant_id (str):
        decision (None | ReleaseDecision | Unset):
    """

    approvals: list[ReleaseApproval]
    artifacts: list[str]
    branch: str
    bundle: list[ReleaseBundleField]
    correlation_ids: list[str]
    created_at: str
    created_by: str
    environment: str
    evidence: list[ReleaseEvidence]
    id: str
    project_id: str
    source_sha: str
    state: ReleaseState
    tenant_id: str
    decision: None | ReleaseDecision | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.release_decision import ReleaseDecision  # noqa: PLC0415

        approvals = []
        for approvals_item_data in self.approvals:
            approvals_item = approvals_item_data.to_dict()
            approvals.append(approvals_item)

        artifacts = self.artifacts

        branch = self.branch

        bundle = []
        for bundle_item_data in self.bundle:
            bundle_item = bundle_item_data.to_dict()
            bundle.append(bundle_item)

        correlation_ids = self.correlation_ids

        created_at = self.created_at

        created_by = self.created_by

        environment = self.environment

        evidence = []
        for evidence_item_data in self.evidence:
            evidence_item = evidence_item_data.to_dict()
            evidence.append(evidence_item)

        id = self.id

        project_id = self.project_id

        source_sha = self.source_sha

        state = self.state.value

        tenant_id = self.tenant_id

        decision: dict[str, Any] | None | Unset
        if isinstance(self.decision, Unset):
            decision = UNSET
        elif isinstance(self.decision, ReleaseDecision):
            decision = self.decision.to_dict()
        else:
            decision = self.decision

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "approvals": approvals,
                "artifacts": artifacts,
                "branch": branch,
                "bundle": bundle,
                "correlationIds": correlation_ids,
                "createdAt": created_at,
                "createdBy": created_by,
                "environment": environment,
                "evidence": evidence,
                "id": id,
                "projectId": project_id,
                "sourceSha": source_sha,
                "state": state,
                "tenantId": tenant_id,
            }
        )
        if decision is not UNSET:
            field_dict["decision"] = decision

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.release_approval import ReleaseApproval  # noqa: PLC0415
        from ..models.release_bundle_field import ReleaseBundleField  # noqa: PLC0415
        from ..models.release_decision import ReleaseDecision  # noqa: PLC0415
        from ..models.release_evidence import ReleaseEvidence  # noqa: PLC0415

        d = dict(src_dict)
        approvals = []
        _approvals = d.pop("approvals")
        for approvals_item_data in _approvals:
            approvals_item = ReleaseApproval.from_dict(approvals_item_data)

            approvals.append(approvals_item)

        artifacts = cast(list[str], d.pop("artifacts"))

        branch = d.pop("branch")

        bundle = []
        _bundle = d.pop("bundle")
        for bundle_item_data in _bundle:
            bundle_item = ReleaseBundleField.from_dict(bundle_item_data)

            bundle.append(bundle_item)

        correlation_ids = cast(list[str], d.pop("correlationIds"))

        created_at = d.pop("createdAt")

        created_by = d.pop("createdBy")

        environment = d.pop("environment")

        evidence = []
        _evidence = d.pop("evidence")
        for evidence_item_data in _evidence:
            evidence_item = ReleaseEvidence.from_dict(evidence_item_data)

            evidence.append(evidence_item)

        id = d.pop("id")

        project_id = d.pop("projectId")

        source_sha = d.pop("sourceSha")

        state = ReleaseState(d.pop("state"))

        tenant_id = d.pop("tenantId")

        def _parse_decision(data: object) -> None | ReleaseDecision | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                decision_type_0 = ReleaseDecision.from_dict(data)

                return decision_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReleaseDecision | Unset, data)

        decision = _parse_decision(d.pop("decision", UNSET))

        release = cls(
            approvals=approvals,
            artifacts=artifacts,
            branch=branch,
            bundle=bundle,
            correlation_ids=correlation_ids,
            created_at=created_at,
            created_by=created_by,
            environment=environment,
            evidence=evidence,
            id=id,
            project_id=project_id,
            source_sha=source_sha,
            state=state,
            tenant_id=tenant_id,
            decision=decision,
        )

        release.additional_properties = d
        return release

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
