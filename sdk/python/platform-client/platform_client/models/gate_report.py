from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.trust_state import TrustState

T = TypeVar("T", bound="GateReport")


@_attrs_define
class GateReport:
    """
    Attributes:
        missing (list[str]):
        satisfied (bool):
        to (TrustState):
    """

    missing: list[str]
    satisfied: bool
    to: TrustState
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        missing = self.missing

        satisfied = self.satisfied

        to = self.to.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "missing": missing,
                "satisfied": satisfied,
                "to": to,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        missing = cast(list[str], d.pop("missing"))

        satisfied = d.pop("satisfied")

        to = TrustState(d.pop("to"))

        gate_report = cls(
            missing=missing,
            satisfied=satisfied,
            to=to,
        )

        gate_report.additional_properties = d
        return gate_report

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
