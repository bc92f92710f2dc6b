from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.flag_reason import FlagReason

T = TypeVar("T", bound="FlagEvaluation")


@_attrs_define
class FlagEvaluation:
    """
    Attributes:
        flag_key (str):
        reason (FlagReason):
        snapshot (str):
        targeting (str):
        value (bool):
        variant (str):
    """

    flag_key: str
    reason: FlagReason
    snapshot: str
    targeting: str
    value: bool
    variant: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        flag_key = self.flag_key

        reason = self.reason.value

        snapshot = self.snapshot

        targeting = self.targeting

        value = self.value

        variant = self.variant

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "flagKey": flag_key,
                "reason": reason,
                "snapshot": snapshot,
                "targeting": targeting,
                "value": value,
                "variant": variant,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        flag_key = d.pop("flagKey")

        reason = FlagReason(d.pop("reason"))

        snapshot = d.pop("snapshot")

        targeting = d.pop("targeting")

        value = d.pop("value")

        variant = d.pop("variant")

        flag_evaluation = cls(
            flag_key=flag_key,
            reason=reason,
            snapshot=snapshot,
            targeting=targeting,
            value=value,
            variant=variant,
        )

        flag_evaluation.additional_properties = d
        return flag_evaluation

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
