from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.instance_usage_total import InstanceUsageTotal


T = TypeVar("T", bound="InstanceUsage")


@_attrs_define
class InstanceUsage:
    """
    Attributes:
        instance (str):
        project (str):
        totals (list[InstanceUsageTotal]):
        recorded_through (datetime.datetime | None | Unset):
    """

    instance: str
    project: str
    totals: list[InstanceUsageTotal]
    recorded_through: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        instance = self.instance

        project = self.project

        totals = []
        for totals_item_data in self.totals:
            totals_item = totals_item_data.to_dict()
            totals.append(totals_item)

        recorded_through: None | str | Unset
        if isinstance(self.recorded_through, Unset):
            recorded_through = UNSET
        elif isinstance(self.recorded_through, datetime.datetime):
            recorded_through = self.recorded_through.isoformat()
        else:
            recorded_through = self.recorded_through

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "instance": instance,
                "project": project,
                "totals": totals,
            }
        )
        if recorded_through is not UNSET:
            field_dict["recordedThrough"] = recorded_through

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.instance_usage_total import InstanceUsageTotal  # noqa: PLC0415

        d = dict(src_dict)
        instance = d.pop("instance")

        project = d.pop("project")

        totals = []
        _totals = d.pop("totals")
        for totals_item_data in _totals:
            totals_item = InstanceUsageTotal.from_dict(totals_item_data)

            totals.append(totals_item)

        def _parse_recorded_through(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                recorded_through_type_0 = datetime.datetime.fromisoformat(data)

                return recorded_through_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        recorded_through = _parse_recorded_through(d.pop("recordedThrough", UNSET))

        instance_usage = cls(
            instance=instance,
            project=project,
            totals=totals,
            recorded_through=recorded_through,
        )

        instance_usage.additional_properties = d
        return instance_usage

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
