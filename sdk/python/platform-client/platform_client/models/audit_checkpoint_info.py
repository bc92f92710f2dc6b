from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AuditCheckpointInfo")


@_attrs_define
class AuditCheckpointInfo:
    """
    Attributes:
        note (str):
        origin (str):
        root_hash (str):
        size (int):
        verifier_key (str):
    """

    note: str
    origin: str
    root_hash: str
    size: int
    verifier_key: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        note = self.note

        origin = self.origin

        root_hash = self.root_hash

        size = self.size

        verifier_key = self.verifier_key

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "note": note,
                "origin": origin,
                "rootHash": root_hash,
                "size": size,
                "verifierKey": verifier_key,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        note = d.pop("note")

        origin = d.pop("origin")

        root_hash = d.pop("rootHash")

        size = d.pop("size")

        verifier_key = d.pop("verifierKey")

        audit_checkpoint_info = cls(
            note=note,
            origin=origin,
            root_hash=root_hash,
            size=size,
            verifier_key=verifier_key,
        )

        audit_checkpoint_info.additional_properties = d
        return audit_checkpoint_info

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
