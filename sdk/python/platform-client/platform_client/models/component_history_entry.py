from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.component_condition import ComponentCondition

T = TypeVar("T", bound="ComponentHistoryEntry")


@_attrs_define
class ComponentHistoryEntry:
    """
    Attributes:
        at (str):
        cause (str):
        component (str):
        condition (ComponentCondition):
    """

    at: str
    cause: str
    component: str
    condition: ComponentCondition
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at = self.at

        cause = self.cause

        component = self.component

        condition = self.condition.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at": at,
                "cause": cause,
                "component": component,
                "condition": condition,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        at = d.pop("at")

        cause = d.pop("cause")

        component = d.pop("component")

        condition = ComponentCondition(d.pop("condition"))

        component_history_entry = cls(
            at=at,
            cause=cause,
            component=component,
            condition=condition,
        )

        component_history_entry.additional_properties = d
        return component_history_entry

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
