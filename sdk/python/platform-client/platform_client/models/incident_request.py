from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.incident_impact import IncidentImpact

T = TypeVar("T", bound="IncidentRequest")


@_attrs_define
class IncidentRequest:
    """
    Attributes:
        components (list[str]):
        impact (IncidentImpact):
        message (str):
        title (str):
    """

    components: list[str]
    impact: IncidentImpact
    message: str
    title: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        components = self.components

        impact = self.impact.value

        message = self.message

        title = self.title

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "components": components,
                "impact": impact,
                "message": message,
                "title": title,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        components = cast(list[str], d.pop("components"))

        impact = IncidentImpact(d.pop("impact"))

        message = d.pop("message")

        title = d.pop("title")

        incident_request = cls(
            components=components,
            impact=impact,
            message=message,
            title=title,
        )

        incident_request.additional_properties = d
        return incident_request

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
