from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.component_condition import ComponentCondition
from ..models.component_kind import ComponentKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="ComponentStatus")


@_attrs_define
class ComponentStatus:
    """
    Attributes:
        condition (ComponentCondition):
        id (str):
        kind (ComponentKind):
        name (str):
        since (str):
        checks (list[str] | None | Unset):
        version (None | str | Unset):
    """

    condition: ComponentCondition
    id: str
    kind: ComponentKind
    name: str
    since: str
    checks: list[str] | None | Unset = UNSET
    version: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        condition = self.condition.value

        id = self.id

        kind = self.kind.value

        name = self.name

        since = self.since

        checks: list[str] | None | Unset
        if isinstance(self.checks, Unset):
            checks = UNSET
        elif isinstance(self.checks, list):
            checks = self.checks

        else:
            checks = self.checks

        version: None | str | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "condition": condition,
                "id": id,
                "kind": kind,
                "name": name,
                "since": since,
            }
        )
        if checks is not UNSET:
            field_dict["checks"] = checks
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        condition = ComponentCondition(d.pop("condition"))

        id = d.pop("id")

        kind = ComponentKind(d.pop("kind"))

        name = d.pop("name")

        since = d.pop("since")

        def _parse_checks(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                checks_type_0 = cast(list[str], data)

                return checks_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        checks = _parse_checks(d.pop("checks", UNSET))

        def _parse_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        component_status = cls(
            condition=condition,
            id=id,
            kind=kind,
            name=name,
            since=since,
            checks=checks,
            version=version,
        )

        component_status.additional_properties = d
        return component_status

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
