from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.release_gate import ReleaseGate

T = TypeVar("T", bound="ReleaseGateResult")


@_attrs_define
class ReleaseGateResult:
    """
    Attributes:
        gate (ReleaseGate):
        inputs (list[str]):
        missing (list[str]):
        passed (bool):
    """

    gate: ReleaseGate
    inputs: list[str]
    missing: list[str]
    passed: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        gate = self.gate.value

        inputs = self.inputs

        missing = self.missing

        passed = self.passed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "gate": gate,
                "inputs": inputs,
                "missing": missing,
                "passed": passed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        gate = ReleaseGate(d.pop("gate"))

        inputs = cast(list[str], d.pop("inputs"))

        missing = cast(list[str], d.pop("missing"))

        passed = d.pop("passed")

        release_gate_result = cls(
            gate=gate,
            inputs=inputs,
            missing=missing,
            passed=passed,
        )

        release_gate_result.additional_properties = d
        return release_gate_result

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
