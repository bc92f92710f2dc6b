from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.maintenance_effect import MaintenanceEffect
from ..types import UNSET, Unset

T = TypeVar("T", bound="MaintenanceWindow")


@_attrs_define
class MaintenanceWindow:
    """
    Attributes:
        cancelled (bool):
        components (list[str]):
        ends_at (str):
        id (str):
        starts_at (str):
        title (str):
        created_by (None | str | Unset):
        effect (MaintenanceEffect | None | Unset):
    """

    cancelled: bool
    components: list[str]
    ends_at: str
    id: str
    starts_at: str
    title: str
    created_by: None | str | Unset = UNSET
    effect: MaintenanceEffect | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cancelled = self.cancelled

        components = self.components

        ends_at = self.ends_at

        id = self.id

        starts_at = self.starts_at

        title = self.title

        created_by: None | str | Unset
        if isinstance(self.created_by, Unset):
            created_by = UNSET
        else:
            created_by = self.created_by

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
                "cancelled": cancelled,
                "components": components,
                "endsAt": ends_at,
                "id": id,
                "startsAt": starts_at,
                "title": title,
            }
        )
        if created_by is not UNSET:
            field_dict["createdBy"] = created_by
        if effect is not UNSET:
            field_dict["effect"] = effect

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cancelled = d.pop("cancelled")

        components = cast(list[str], d.pop("components"))

        ends_at = d.pop("endsAt")

        id = d.pop("id")

        starts_at = d.pop("startsAt")

        title = d.pop("title")

        def _parse_created_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        created_by = _parse_created_by(d.pop("createdBy", UNSET))

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

        maintenance_window = cls(
            cancelled=cancelled,
            components=components,
            ends_at=ends_at,
            id=id,
            starts_at=starts_at,
            title=title,
            created_by=created_by,
            effect=effect,
        )

        maintenance_window.additional_properties = d
        return maintenance_window

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
