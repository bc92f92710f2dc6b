from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PolicySnapshotStamp")


@_attrs_define
class PolicySnapshotStamp:
    """
    Attributes:
        age_ms (int):
        created_at (datetime.datetime):
        id (str):
        stale (bool):
        version (int):
    """

    age_ms: int
    created_at: datetime.datetime
    id: str
    stale: bool
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        age_ms = self.age_ms

        created_at = self.created_at.isoformat()

        id = self.id

        stale = self.stale

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ageMs": age_ms,
                "createdAt": created_at,
                "id": id,
                "stale": stale,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        age_ms = d.pop("ageMs")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        id = d.pop("id")

        stale = d.pop("stale")

        version = d.pop("version")

        policy_snapshot_stamp = cls(
            age_ms=age_ms,
            created_at=created_at,
            id=id,
            stale=stale,
            version=version,
        )

        policy_snapshot_stamp.additional_properties = d
        return policy_snapshot_stamp

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
