from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="VolumeRecord")


@_attrs_define
class VolumeRecord:
    """
    Attributes:
        adapter (str):
        created_at (str):
        created_by (str):
        id (str):
        mounted_by (list[str]):
        name (str):
        project (str):
        size_mi_b (int):
    """

    adapter: str
    created_at: str
    created_by: str
    id: str
    mounted_by: list[str]
    name: str
    project: str
    size_mi_b: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        adapter = self.adapter

        created_at = self.created_at

        created_by = self.created_by

        id = self.id

        mounted_by = self.mounted_by

        name = self.name

        project = self.project

        size_mi_b = self.size_mi_b

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "adapter": adapter,
                "createdAt": created_at,
                "createdBy": created_by,
                "id": id,
                "mountedBy": mounted_by,
                "name": name,
                "project": project,
                "sizeMiB": size_mi_b,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        adapter = d.pop("adapter")

        created_at = d.pop("createdAt")

        created_by = d.pop("createdBy")

        id = d.pop("id")

        mounted_by = cast(list[str], d.pop("mountedBy"))

        name = d.pop("name")

        project = d.pop("project")

        size_mi_b = d.pop("sizeMiB")

        volume_record = cls(
            adapter=adapter,
            created_at=created_at,
            created_by=created_by,
            id=id,
            mounted_by=mounted_by,
            name=name,
            project=project,
            size_mi_b=size_mi_b,
        )

        volume_record.additional_properties = d
        return volume_record

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
