from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SecretRecord")


@_attrs_define
class SecretRecord:
    """
    Attributes:
        created_at (str):
        created_by (str):
        master_key_id (str):
        name (str):
        project (str):
        purpose (str):
        updated_at (str):
        updated_by (str):
        version (int):
    """

    created_at: str
    created_by: str
    master_key_id: str
    name: str
    project: str
    purpose: str
    updated_at: str
    updated_by: str
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        created_by = self.created_by

        master_key_id = self.master_key_id

        name = self.name

        project = self.project

        purpose = self.purpose

        updated_at = self.updated_at

        updated_by = self.updated_by

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "createdAt": created_at,
                "createdBy": created_by,
                "masterKeyId": master_key_id,
                "name": name,
                "project": project,
                "purpose": purpose,
                "updatedAt": updated_at,
                "updatedBy": updated_by,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = d.pop("createdAt")

        created_by = d.pop("createdBy")

        master_key_id = d.pop("masterKeyId")

        name = d.pop("name")

        project = d.pop("project")

        purpose = d.pop("purpose")

        updated_at = d.pop("updatedAt")

        updated_by = d.pop("updatedBy")

        version = d.pop("version")

        secret_record = cls(
            created_at=created_at,
            created_by=created_by,
            master_key_id=master_key_id,
            name=name,
            project=project,
            purpose=purpose,
            updated_at=updated_at,
            updated_by=updated_by,
            version=version,
        )

        secret_record.additional_properties = d
        return secret_record

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
