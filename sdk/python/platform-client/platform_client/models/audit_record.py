from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.audit_outcome import AuditOutcome
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.audit_record_details import AuditRecordDetails


T = TypeVar("T", bound="AuditRecord")


@_attrs_define
class AuditRecord:
    """
    Attributes:
        action (str):
        actor (str):
        details (AuditRecordDetails):
        id (str):
        outcome (AuditOutcome):
        sequence (int):
        target (str):
        time (str):
        project (None | str | Unset):
        request_id (None | str | Unset):
        tenant (None | str | Unset):
    """

    action: str
    actor: str
    details: AuditRecordDetails
    id: str
    outcome: AuditOutcome
    sequence: int
    target: str
    time: str
    project: None | str | Unset = UNSET
    request_id: None | str | Unset = UNSET
    tenant: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action

        actor = self.actor

        details = self.details.to_dict()

        id = self.id

        outcome = self.outcome.value

        sequence = self.sequence

        target = self.target

        time = self.time

        project: None | str | Unset
        if isinstance(self.project, Unset):
            project = UNSET
        else:
            project = self.project

        request_id: None | str | Unset
        if isinstance(self.request_id, Unset):
            request_id = UNSET
        else:
            request_id = self.request_id

        tenant: None | str | Unset
        if isinstance(self.tenant, Unset):
            tenant = UNSET
        else:
            tenant = self.tenant

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "actor": actor,
                "details": details,
                "id": id,
                "outcome": outcome,
                "sequence": sequence,
                "target": target,
                "time": time,
            }
        )
        if project is not UNSET:
            field_dict["project"] = project
        if request_id is not UNSET:
            field_dict["requestId"] = request_id
        if tenant is not UNSET:
            field_dict["tenant"] = tenant

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_record_details import AuditRecordDetails  # noqa: PLC0415

        d = dict(src_dict)
        action = d.pop("action")

        actor = d.pop("actor")

        details = AuditRecordDetails.from_dict(d.pop("details"))

        id = d.pop("id")

        outcome = AuditOutcome(d.pop("outcome"))

        sequence = d.pop("sequence")

        target = d.pop("target")

        time = d.pop("time")

        def _parse_project(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        project = _parse_project(d.pop("project", UNSET))

        def _parse_request_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        request_id = _parse_request_id(d.pop("requestId", UNSET))

        def _parse_tenant(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tenant = _parse_tenant(d.pop("tenant", UNSET))

        audit_record = cls(
            action=action,
            actor=actor,
            details=details,
            id=id,
            outcome=outcome,
            sequence=sequence,
            target=target,
            time=time,
            project=project,
            request_id=request_id,
            tenant=tenant,
        )

        audit_record.additional_properties = d
        return audit_record

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
