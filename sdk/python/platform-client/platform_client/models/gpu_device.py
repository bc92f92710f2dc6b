from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="GPUDevice")


@_attrs_define
class GPUDevice:
    """
    Attributes:
        index (int):
        memory_mi_b (int):
        name (str):
        uuid (str):
        mig_enabled (bool | None | Unset):
        mig_profile (None | str | Unset):
        model_id (None | str | Unset):
        parent_uuid (None | str | Unset):
    """

    index: int
    memory_mi_b: int
    name: str
    uuid: str
    mig_enabled: bool | None | Unset = UNSET
    mig_profile: None | str | Unset = UNSET
    model_id: None | str | Unset = UNSET
    parent_uuid: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        index = self.index

        memory_mi_b = self.memory_mi_b

        name = self.name

        uuid = self.uuid

        mig_enabled: bool | None | Unset
        if isinstance(self.mig_enabled, Unset):
            mig_enabled = UNSET
        else:
            mig_enabled = self.mig_enabled

        mig_profile: None | str | Unset
        if isinstance(self.mig_profile, Unset):
            mig_profile = UNSET
        else:
            mig_profile = self.mig_profile

        model_id: None | str | Unset
        if isinstance(self.model_id, Unset):
            model_id = UNSET
        else:
            model_id = self.model_id

        parent_uuid: None | str | Unset
        if isinstance(self.parent_uuid, Unset):
            parent_uuid = UNSET
        else:
            parent_uuid = self.parent_uuid

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "index": index,
                "memoryMiB": memory_mi_b,
                "name": name,
                "uuid": uuid,
            }
        )
        if mig_enabled is not UNSET:
            field_dict["migEnabled"] = mig_enabled
        if mig_profile is not UNSET:
            field_dict["migProfile"] = mig_profile
        if model_id is not UNSET:
            field_dict["modelId"] = model_id
        if parent_uuid is not UNSET:
            field_dict["parentUUID"] = parent_uuid

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        index = d.pop("index")

        memory_mi_b = d.pop("memoryMiB")

        name = d.pop("name")

        uuid = d.pop("uuid")

        def _parse_mig_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        mig_enabled = _parse_mig_enabled(d.pop("migEnabled", UNSET))

        def _parse_mig_profile(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        mig_profile = _parse_mig_profile(d.pop("migProfile", UNSET))

        def _parse_model_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        model_id = _parse_model_id(d.pop("modelId", UNSET))

        def _parse_parent_uuid(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        parent_uuid = _parse_parent_uuid(d.pop("parentUUID", UNSET))

        gpu_device = cls(
            index=index,
            memory_mi_b=memory_mi_b,
            name=name,
            uuid=uuid,
            mig_enabled=mig_enabled,
            mig_profile=mig_profile,
            model_id=model_id,
            parent_uuid=parent_uuid,
        )

        gpu_device.additional_properties = d
        return gpu_device

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
