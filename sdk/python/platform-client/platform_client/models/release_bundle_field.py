from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.release_field import ReleaseField
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReleaseBundleField")


@_attrs_define
class ReleaseBundleField:
    """
    Attributes:
        evidence_type (str):
        field (ReleaseField):
        envelope (None | str | Unset):
    """

    evidence_type: str
    field: ReleaseField
    envelope: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        evidence_type = self.evidence_type

        field = self.field.value

        envelope: None | str | Unset
        if isinstance(self.envelope, Unset):
            envelope = UNSET
        else:
            envelope = self.envelope

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "evidenceType": evidence_type,
                "field": field,
            }
        )
        if envelope is not UNSET:
            field_dict["envelope"] = envelope

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        evidence_type = d.pop("evidenceType")

        field = ReleaseField(d.pop("field"))

        def _parse_envelope(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        envelope = _parse_envelope(d.pop("envelope", UNSET))

        release_bundle_field = cls(
            evidence_type=evidence_type,
            field=field,
            envelope=envelope,
        )

        release_bundle_field.additional_properties = d
        return release_bundle_field

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
