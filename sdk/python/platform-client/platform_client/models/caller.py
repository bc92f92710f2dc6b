from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Caller")


@_attrs_define
class Caller:
    """
    Attributes:
        expires_at (str):
        key_id (str):
        principal_id (str):
        principal_kind (str):
        principal_name (str):
        scopes (list[str]):
        project_id (None | str | Unset):
        tenant_id (None | str | Unset):
    """

    expires_at: str
    key_id: str
    principal_id: str
    principal_kind: str
    principal_name: str
    scopes: list[str]
    project_id: None | str | Unset = UNSET
    tenant_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        expires_at = self.expires_at

        key_id = self.key_id

        principal_id = self.principal_id

        principal_kind = self.principal_kind

        principal_name = self.principal_name

        scopes = self.scopes

        project_id: None | str | Unset
        if isinstance(self.project_id, Unset):
            project_id = UNSET
        else:
            project_id = self.project_id

        tenant_id: None | str | Unset
        if isinstance(self.tenant_id, Unset):
            tenant_id = UNSET
        else:
            tenant_id = self.tenant_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "expiresAt": expires_at,
                "keyId": key_id,
                "principalId": principal_id,
                "principalKind": principal_kind,
                "principalName": principal_name,
                "scopes": scopes,
            }
        )
        if project_id is not UNSET:
            field_dict["projectId"] = project_id
        if tenant_id is not UNSET:
            field_dict["tenantId"] = tenant_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        expires_at = d.pop("expiresAt")

        key_id = d.pop("keyId")

        principal_id = d.pop("principalId")

        principal_kind = d.pop("principalKind")

        principal_name = d.pop("principalName")

        scopes = cast(list[str], d.pop("scopes"))

        def _parse_project_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        project_id = _parse_project_id(d.pop("projectId", UNSET))

        def _parse_tenant_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tenant_id = _parse_tenant_id(d.pop("tenantId", UNSET))

        caller = cls(
            expires_at=expires_at,
            key_id=key_id,
            principal_id=principal_id,
            principal_kind=principal_kind,
            principal_name=principal_name,
            scopes=scopes,
            project_id=project_id,
            tenant_id=tenant_id,
        )

        caller.additional_properties = d
        return caller

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
