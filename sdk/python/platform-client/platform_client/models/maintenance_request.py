from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.maintenance_effect import MaintenanceEffect
from ..types import UNSET, Unset

T = TypeVar("T", bound="MaintenanceRequest")


@_attrs_define
class MaintenanceRequest:
    """
    Attributes:
        components (list[str]):
        ends_at (str):
        starts_at (str):
        title (str):
        effect (MaintenanceEffect | None | Unset):
    """

    components: list[str]
    ends_at: str
    starts_at: str
    title: str
    effect: MaintenanceEffect | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        components = self.components

        ends_at = self.ends_at

        starts_at = self.starts_at

        title = self.title

        effect: None | str | Unset
        if isinstance(self.effect, Unset):
            effect = UNSET
        elif isinstance(self.effect, MaintenanceEffect):
            effect = self.effect.value
        else:
            effect = self.effect

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "components": components,
                "endsAt": ends_at,
                "startsAt": starts_at,
                "title": title,
            }
        )
        if effect is not UNSET:
            field_dict["effect"] = effect

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        components = cast(list[str], d.pop("components"))

        ends_at = d.pop("endsAt")

        starts_at = d.pop("startsAt")

        title = d.pop("title")

        def _parse_effect(data: object) -> MaintenanceEffect | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                effect_type_0 = MaintenanceEffect(data)

                return effect_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MaintenanceEffect | None | Unset, data)

        effect = _parse_effect(d.pop("effect", UNSET))

        maintenance_request = cls(
            components=components,
            ends_at=ends_at,
            starts_at=starts_at,
            title=title,
            effect=effect,
        )

        maintenance_request.additional_properties = d
        return maintenance_request

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
