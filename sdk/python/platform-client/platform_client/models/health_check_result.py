from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.health_status import HealthStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="HealthCheckResult")


@_attrs_define
class HealthCheckResult:
    """
    Attributes:
        status (HealthStatus):
        component_type (None | str | Unset):
        observed_unit (None | str | Unset):
        observed_value (int | None | Unset):
        output (None | str | Unset):
        time (None | str | Unset):
    """

    status: HealthStatus
    component_type: None | str | Unset = UNSET
    observed_unit: None | str | Unset = UNSET
    observed_value: int | None | Unset = UNSET
    output: None | str | Unset = UNSET
    time: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        component_type: None | str | Unset
        if isinstance(self.component_type, Unset):
            component_type = UNSET
        else:
            component_type = self.component_type

        observed_unit: None | str | Unset
        if isinstance(self.observed_unit, Unset):
            observed_unit = UNSET
        else:
            observed_unit = self.observed_unit

        observed_value: int | None | Unset
        if isinstance(self.observed_value, Unset):
            observed_value = UNSET
        else:
            observed_value = self.observed_value

        output: None | str | Unset
        if isinstance(self.output, Unset):
            output = UNSET
        else:
            output = self.output

        time: None | str | Unset
        if isinstance(self.time, Unset):
            time = UNSET
        else:
            time = self.time

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
            }
        )
        if component_type is not UNSET:
            field_dict["componentType"] = component_type
        if observed_unit is not UNSET:
            field_dict["observedUnit"] = observed_unit
        if observed_value is not UNSET:
            field_dict["observedValue"] = observed_value
        if output is not UNSET:
            field_dict["output"] = output
        if time is not UNSET:
            field_dict["time"] = time

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = HealthStatus(d.pop("status"))

        def _parse_component_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        component_type = _parse_component_type(d.pop("componentType", UNSET))

        def _parse_observed_unit(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        observed_unit = _parse_observed_unit(d.pop("observedUnit", UNSET))

        def _parse_observed_value(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        observed_value = _parse_observed_value(d.pop("observedValue", UNSET))

        def _parse_output(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        output = _parse_output(d.pop("output", UNSET))

        def _parse_time(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        time = _parse_time(d.pop("time", UNSET))

        health_check_result = cls(
            status=status,
            component_type=component_type,
            observed_unit=observed_unit,
            observed_value=observed_value,
            output=output,
            time=time,
        )

        health_check_result.additional_properties = d
        return health_check_result

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
