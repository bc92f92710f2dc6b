from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MasterKeyRotation")


@_attrs_define
class MasterKeyRotation:
    """
    Attributes:
        already_current (int):
        primary_key_id (str):
        rewrapped (int):
    """

    already_current: int
    primary_key_id: str
    rewrapped: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        already_current = self.already_current

        primary_key_id = self.primary_key_id

        rewrapped = self.rewrapped

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "alreadyCurrent": already_current,
                "primaryKeyId": primary_key_id,
                "rewrapped": rewrapped,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        already_current = d.pop("alreadyCurrent")

        primary_key_id = d.pop("primaryKeyId")

        rewrapped = d.pop("rewrapped")

        master_key_rotation = cls(
            already_current=already_current,
            primary_key_id=primary_key_id,
            rewrapped=rewrapped,
        )

        master_key_rotation.additional_properties = d
        return master_key_rotation

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
