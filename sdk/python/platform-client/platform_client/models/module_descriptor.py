from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.module_kind import ModuleKind

T = TypeVar("T", bound="ModuleDescriptor")


@_attrs_define
class ModuleDescriptor:
    """
    Attributes:
        contract (str):
        kind (ModuleKind):
        name (str):
        summary (str):
    """

    contract: str
    kind: ModuleKind
    name: str
    summary: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        contract = self.contract

        kind = self.kind.value

        name = self.name

        summary = self.summary

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "contract": contract,
                "kind": kind,
                "name": name,
                "summary": summary,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        contract = d.pop("contract")

        kind = ModuleKind(d.pop("kind"))

        name = d.pop("name")

        summary = d.pop("summary")

        module_descriptor = cls(
            contract=contract,
            kind=kind,
            name=name,
            summary=summary,
        )

        module_descriptor.additional_properties = d
        return module_descriptor

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
