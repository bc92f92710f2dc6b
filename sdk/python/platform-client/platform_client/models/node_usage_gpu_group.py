from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="NodeUsageGPUGroup")


@_attrs_define
class NodeUsageGPUGroup:
    """
    Attributes:
        count (int):
        used (int):
        used_indices (list[int]):
        mig_profile (None | str | Unset):
        model (None | str | Unset):
    """

    count: int
    used: int
    used_indices: list[int]
    mig_profile: None | str | Unset = UNSET
    model: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        used = self.used

        used_indices = self.used_indices

        mig_profile: None | str | Unset
        if isinstance(self.mig_profile, Unset):
            mig_profile = UNSET
        else:
            mig_profile = self.mig_profile

        model: None | str | Unset
        if isinstance(self.model, Unset):
            model = UNSET
        else:
            model = self.model

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "count": count,
                "used": used,
                "usedIndices": used_indices,
            }
        )
        if mig_profile is not UNSET:
            field_dict["migProfile"] = mig_profile
        if model is not UNSET:
            field_dict["model"] = model

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        count = d.pop("count")

        used = d.pop("used")

        used_indices = cast(list[int], d.pop("usedIndices"))

        def _parse_mig_profile(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        mig_profile = _parse_mig_profile(d.pop("migProfile", UNSET))

        def _parse_model(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        model = _parse_model(d.pop("model", UNSET))

        node_usage_gpu_group = cls(
            count=count,
            used=used,
            used_indices=used_indices,
            mig_profile=mig_profile,
            model=model,
        )

        node_usage_gpu_group.additional_properties = d
        return node_usage_gpu_group

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
