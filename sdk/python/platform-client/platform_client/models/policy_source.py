from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.policy_level import PolicyLevel

T = TypeVar("T", bound="PolicySource")


@_attrs_define
class PolicySource:
    """
    Attributes:
        level (PolicyLevel):
        name (str):
        value (Any): The value in its policy's type: integer (number), flag (boolean), list (array of strings),
            integer_map (object of numbers).
    """

    level: PolicyLevel
    name: str
    value: Any
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        level = self.level.value

        name = self.name

        value = self.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "level": level,
                "name": name,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        level = PolicyLevel(d.pop("level"))

        name = d.pop("name")

        value = d.pop("value")

        policy_source = cls(
            level=level,
            name=name,
            value=value,
        )

        policy_source.additional_properties = d
        return policy_source

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
