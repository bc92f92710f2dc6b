from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UsageEventInput")


@_attrs_define
class UsageEventInput:
    """
    Attributes:
        id (str):
        occurred_at (datetime.datetime):
        project (str):
        quantity (int):
        unit (str):
        app (None | str | Unset):
        corrects (None | str | Unset):
        instance (None | str | Unset):
        unit_version (int | None | Unset):
    """

    id: str
    occurred_at: datetime.datetime
    project: str
    quantity: int
    unit: str
    app: None | str | Unset = UNSET
    corrects: None | str | Unset = UNSET
    instance: None | str | Unset = UNSET
    unit_version: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        occurred_at = self.occurred_at.isoformat()

        project = self.project

        quantity = self.quantity

        unit = self.unit

        app: None | str | Unset
        if isinstance(self.app, Unset):
            app = UNSET
        else:
            app = self.app

        corrects: None | str | Unset
        if isinstance(self.corrects, Unset):
            corrects = UNSET
        else:
            corrects = self.corrects

        instance: None | str | Unset
        if isinstance(self.instance, Unset):
            instance = UNSET
        else:
            instance = self.instance

        unit_version: int | None | Unset
        if isinstance(self.unit_version, Unset):
            unit_version = UNSET
        else:
            unit_version = self.unit_version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "occurredAt": occurred_at,
                "project": project,
                "quantity": quantity,
                "unit": unit,
            }
        )
        if app is not UNSET:
            field_dict["app"] = app
        if corrects is not UNSET:
            field_dict["corrects"] = corrects
        if instance is not UNSET:
            field_dict["instance"] = instance
        if unit_version is not UNSET:
            field_dict["unitVersion"] = unit_version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurredAt"))

        project = d.pop("project")

        quantity = d.pop("quantity")

        unit = d.pop("unit")

        def _parse_app(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        app = _parse_app(d.pop("app", UNSET))

        def _parse_corrects(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        corrects = _parse_corrects(d.pop("corrects", UNSET))

        def _parse_instance(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        instance = _parse_instance(d.pop("instance", UNSET))

        def _parse_unit_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        unit_version = _parse_unit_version(d.pop("unitVersion", UNSET))

        usage_event_input = cls(
            id=id,
            occurred_at=occurred_at,
            project=project,
            quantity=quantity,
            unit=unit,
            app=app,
            corrects=corrects,
            instance=instance,
            unit_version=unit_version,
        )

        usage_event_input.additional_properties = d
        return usage_event_input

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
