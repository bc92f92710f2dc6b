from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="APIKeyInfo")


@_attrs_define
class APIKeyInfo:
    """
    Attributes:
        created_at (str):
        expires_at (str):
        id (str):
        principal_id (str):
        registry_version (int):
        scopes (list[str]):
        project_id (None | str | Unset):
        replaced_by (None | str | Unset):
        revoked_at (None | str | Unset):
        tenant_id (None | str | Unset):
    """

    created_at: str
    expires_at: str
    id: str
    principal_id: str
    registry_version: int
    scopes: list[str]
    project_id: None | str | Unset = UNSET
    replaced_by: None | str | Unset = UNSET
    revoked_at: None | str | Unset = UNSET
    tenant_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        expires_at = self.expires_at

        id = self.id

        principal_id = self.principal_id

        registry_version = self.registry_version

        scopes = self.scopes

        project_id: None | str | Unset
        if isinstance(self.project_id, Unset):
            project_id = UNSET
        else:
            project_id = self.project_id

        replaced_by: None | str | Unset
        if isinstance(self.replaced_by, Unset):
            replaced_by = UNSET
        else:
            replaced_by = self.replaced_by

        revoked_at: None | str | Unset
        if isinstance(self.revoked_at, Unset):
            revoked_at = UNSET
        else:
            revoked_at = self.revoked_at

        tenant_id: None | str | Unset
        if isinstance(self.tenant_id, Unset):
            tenant_id = UNSET
        else:
            tenant_id = self.tenant_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "createdAt": created_at,
                "expiresAt": expires_at,
                "id": id,
                "principalId": principal_id,
                "registryVersion": registry_version,
                "scopes": scopes,
            }
        )
        if project_id is not UNSET:
            field_dict["projectId"] = project_id
        if replaced_by is not UNSET:
            field_dict["replacedBy"] = replaced_by
        if revoked_at is not UNSET:
            field_dict["revokedAt"] = revoked_at
        if tenant_id is not UNSET:
            field_dict["tenantId"] = tenant_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = d.pop("createdAt")

        expires_at = d.pop("expiresAt")

        id = d.pop("id")

        principal_id = d.pop("principalId")

        registry_version = d.pop("registryVersion")

        scopes = cast(list[str], d.pop("scopes"))

        def _parse_project_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        project_id = _parse_project_id(d.pop("projectId", UNSET))

        def _parse_replaced_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        replaced_by = _parse_replaced_by(d.pop("replacedBy", UNSET))

        def _parse_revoked_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        revoked_at = _parse_revoked_at(d.pop("revokedAt", UNSET))

        def _parse_tenant_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tenant_id = _parse_tenant_id(d.pop("tenantId", UNSET))

        api_key_info = cls(
            created_at=created_at,
            expires_at=expires_at,
            id=id,
            principal_id=principal_id,
            registry_version=registry_version,
            scopes=scopes,
            project_id=project_id,
            replaced_by=replaced_by,
            revoked_at=revoked_at,
            tenant_id=tenant_id,
        )

        api_key_info.additional_properties = d
        return api_key_info

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
